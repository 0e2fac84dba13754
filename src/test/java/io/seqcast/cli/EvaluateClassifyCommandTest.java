package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateClassifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseARecordWithoutItsReferenceAnnotations() throws IOException {
        Files.copy(Path.of("data/ecg/mitdb_100_signal.csv.gz"), dir.resolve("mitdb_100_signal.csv.gz"));
        Files.copy(Path.of("data/ecg/mitdb_208_signal.csv.gz"), dir.resolve("mitdb_208_signal.csv.gz"));
        Files.copy(Path.of("data/ecg/mitdb_208_annotations.csv"), dir.resolve("mitdb_208_annotations.csv"));

        SeqcastCommandTest.Result r = SeqcastCommandTest.run("evaluate", "classify", "--records", dir.toString());

        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("mitdb_100_annotations.csv missing"), r.err());
        assertFalse(r.err().contains("mitdb_208_annotations.csv"), r.err());
        assertTrue(r.out().isBlank(), "nothing replayed: " + r.out());
    }

    @Test
    void shouldNameADirectoryThatIsNotThere() {
        Path missing = dir.resolve("no-such-records");

        SeqcastCommandTest.Result r = SeqcastCommandTest.run("evaluate", "classify", "--records", missing.toString());

        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--records " + missing + ": no such directory"), r.err());
    }
}
