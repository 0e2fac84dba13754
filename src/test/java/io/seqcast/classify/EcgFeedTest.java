package io.seqcast.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EcgFeedTest {

    private static final Path RECORD = Path.of("data/ecg/mitdb_100_signal.csv.gz");

    @Test
    void leadIsTheMeanOfEachRunOfSamplesTheIntervalSpans() throws Exception {
        EcgRecord r = EcgRecord.read(RECORD);
        var series = EcgFeed.lead(RECORD, Duration.ofNanos(11_111_111), 2);

        assertEquals("mitdb_100_lead1", series.name());
        assertEquals(180, series.size());
        for (int k : new int[] {0, 1, 97, 179}) {
            double mean = (r.lead1()[4 * k] + r.lead1()[4 * k + 1] + r.lead1()[4 * k + 2] + r.lead1()[4 * k + 3]) / 4.0;
            assertEquals(1, series.values()[k].length);
            assertEquals(mean, series.values()[k][0], 1e-6);
            assertEquals(EcgFeed.START + Math.round(k * 4 * 1000.0 / 360), series.times()[k]);
        }
    }

    @Test
    void anIntervalShorterThanOneSampleIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> EcgFeed.lead(RECORD, Duration.ofNanos(1_000_000), 1));
        assertTrue(
                e.getMessage().contains("360") && e.getMessage().contains("shorter than one sample"), e.getMessage());
    }
}
