package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.config.PipelineConfig;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.NetworkSpec;
import io.seqcast.model.Networks;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.TestPipelines;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bytes of state per series, as stored (and changelogged) by {@link SeriesStateSerde}: the figures RELIABILITY.md
 * quotes. Stateful mode, one feature; the key (series id) and RocksDB/changelog overhead come on top.
 */
class StateSizeTest {

    @ParameterizedTest(name = "LSTM {0}x{1}, horizon {2}: {3} bytes")
    @CsvSource({
        "2, 32, 6, 950",
        "2, 64, 6, 1462",
        "1, 8, 3, 358",
    })
    void shouldStoreThisManyBytesPerSeries(int layers, int units, int horizon, int bytes) {
        PipelineConfig p = TestPipelines.stateful();
        p = new PipelineConfig(p.name(), p.source(), p.input(), p.sampling(), p.modelArtifact(), p.mode(), p.window(),
                new PipelineConfig.ForecastSettings(horizon, 0.9), p.anomaly(), p.output());
        var model = KernelModel.fromNetwork(Networks.build(NetworkSpec.of(CellType.LSTM,
                java.util.Collections.nCopies(layers, units), 1, horizon, 1)), "size", "1");
        SeriesForecaster forecaster = new SeriesForecaster(p, model);
        int size = new SeriesStateSerde().serialize(null, forecaster.initialState()).length;
        assertEquals(4 * layers * 2 * units, 4 * model.stateSize(), "LSTM state: h and c of every layer, floats");
        System.out.printf("state per series: LSTM %dx%d horizon %d: %d bytes (%d of them hidden state)%n", layers,
                units, horizon, size, 4 * model.stateSize());
        assertEquals(bytes, size);
    }

}
