package io.seqcast.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqcast.errors.InvalidRecordException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-record time text (written and read without java.time's formatter) is java.time's, to the character. */
class TimeTextTest {

    private static final long FIRST = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    @Test
    void shouldWriteWhatInstantWritesAndReadItBack() throws InvalidRecordException {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 50_000; i++) {
            long ms = random.nextLong(FIRST - 86_400_000L * 400, LAST + 86_400_000L * 400);
            if (i % 3 == 0) {
                ms -= Math.floorMod(ms, 1000); // whole seconds: no fraction written
            }
            String text = TimeText.format(ms);
            assertEquals(Instant.ofEpochMilli(ms).toString(), text, "epoch ms " + ms);
            if (ms >= FIRST && ms <= LAST) {
                assertEquals(ms, TimeText.parse(text), text);
                assertEquals(OffsetDateTime.parse(text).toInstant().toEpochMilli(), TimeText.parse(text));
            }
        }
        for (long ms : new long[] {FIRST, LAST, 0, -1, 951_782_400_000L /* 2000-02-29 */}) {
            assertEquals(Instant.ofEpochMilli(ms).toString(), TimeText.format(ms));
            assertEquals(ms, TimeText.parse(TimeText.format(ms)));
        }
    }

    @Test
    void shouldRefuseWhatJavaTimeRefuses() throws InvalidRecordException {
        for (String bad : new String[] {
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T23:60:00Z",
            "2023-01-01T23:59:60Z",
            "2023-01-01T-1:00:00Z",
            "2023-01-01T00:00:00.1-Z",
            "2023-01-00T00:00:00Z",
            "20a3-01-01T00:00:00Z"
        }) {
            assertThrows(InvalidRecordException.class, () -> TimeText.parse(bad), bad);
        }
        assertEquals(
                Instant.parse("2000-02-29T12:34:56.789Z").toEpochMilli(), TimeText.parse("2000-02-29T12:34:56.789Z"));
        assertEquals(Instant.parse("2023-05-01T10:00:00Z").toEpochMilli(), TimeText.parse("2023-05-01T12:00:00+02:00"));
    }
}
