package io.seqcast.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.seqcast.replay.CsvSeries;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopologyReplayTest {

    @Test
    void shouldPublishOneForecastPerRowThroughTheTopologyAndNoneForARefusedRow() {
        int n = 60;
        long[] times = new long[n];
        double[][] values = new double[n][];
        for (int i = 0; i < n; i++) {
            times[i] = 1_400_000_000_000L + i * 300_000L;
            values[i] = new double[] {Math.sin(i / 5.0)};
        }
        times[30] = times[29]; // a duplicate time: refused to the dead-letter topic
        CsvSeries series = new CsvSeries("s", times, values);
        assertEquals(Duration.ofMinutes(5), TopologyReplay.medianInterval(series));
        var replayed = TopologyReplay.run(TestPipelines.stateful(), new TinyModel(1, 8, 3), series);
        assertEquals(n, replayed.forecasts().size());
        assertNull(replayed.forecasts().get(30));
        assertNotNull(replayed.forecasts().get(31));
        assertEquals(times[59], replayed.forecasts().get(59).time());
    }
}
