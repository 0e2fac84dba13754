package io.seqcast.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV input is parsed as CSV (RFC 4180), not split on commas. */
class CsvSeriesTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadQuotedFieldsHoldingCommasQuotesAndLineBreaks() throws IOException {
        Path file = dir.resolve("quoted.csv");
        Files.writeString(
                file,
                "\"note, free text\",\"time\",value\r\n"
                        + "\"restart, then \"\"warm\"\"\",2024-01-01 00:00:00,\"1.5\"\r\n"
                        + "\r\n"
                        + "\"two\nlines\", 2024-01-01 00:05:00 , 2.5\r\n");
        CsvSeries s = CsvSeries.read(file, "q", "time", List.of("value"));
        assertEquals(2, s.size());
        assertArrayEquals(new double[] {1.5, 2.5}, s.firstColumn());
        assertEquals(300_000L, s.times()[1] - s.times()[0]);
        List<String[]> rows = CsvRows.readAll(file);
        assertEquals("restart, then \"warm\"", rows.get(1)[0]);
        assertEquals("two\nlines", rows.get(2)[0]);
    }

    @Test
    void shouldNameTheFileAndLineOfABadRow() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "time,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,oops\n");
        IOException e = assertThrows(IOException.class, () -> CsvSeries.read(file, "b", null, List.of()));
        assertTrue(e.getMessage().contains("bad.csv line 3"), e.getMessage());
        Files.writeString(file, "time,value\n2024-01-01 00:00:00,\"1\n");
        e = assertThrows(IOException.class, () -> CsvSeries.read(file, "b", null, List.of()));
        assertTrue(e.getMessage().contains("bad.csv line"), e.getMessage());
    }
}
