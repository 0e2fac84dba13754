package io.seqcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.evaluate.TopologyReplay;
import io.seqcast.event.Forecast;
import io.seqcast.event.Observation;
import io.seqcast.forecast.Outcome;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.registry.ModelFit;
import io.seqcast.replay.CsvSeries;
import io.seqcast.state.SeriesState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled biomedical-signal pipeline (topology/signals.yaml) loads, its bundled model (models/lstm-ecg.seqcast)
 * fits it, and on a stretch of the record's test part (after the first 70% its model was trained on) the model
 * alone forecasts one step ahead better than the last value.
 */
class SignalsPipelineTest {

    static PipelineConfig pipeline;
    static ModelArtifact artifact;

    @BeforeAll
    static void load() throws Exception {
        pipeline = PipelineFiles.load(Path.of("topology/signals.yaml")).get(0);
        artifact = ModelArtifact.read(pipeline.modelArtifact());
    }

    @Test
    void shouldLoadAStatefulLearningPipelineWhoseModelFits() {
        assertEquals("signals", pipeline.name());
        assertEquals(PipelineConfig.Mode.STATEFUL, pipeline.mode());
        assertEquals(List.of(), ModelFit.misfits(pipeline, artifact.metadata()));
        SequenceModel model = ModelCatalog.fromArtifact(artifact);
        assertEquals(List.of(), ModelCatalog.misfits(pipeline, model));
        assertEquals(pipeline.forecast().horizon(), model.info().outputSize(), "the model forecasts every step");
    }

    @Test
    void shouldBeatTheLastValueOneStepAheadOnTheTestPart() throws Exception {
        CsvSeries ecg = CsvSeries.read(
                        Path.of("data/ecg/mitdb_100_signal.csv.gz"), "ecg100", null, List.of("lead_mlii"))
                .meanOf(4);
        int testStart = (int) (0.7 * ecg.size());
        int from = testStart + 1000;
        int warmup = 2000;
        int scored = 3000;
        PipelineConfig alone = pipeline.withInterval(TopologyReplay.medianInterval(ecg))
                .withForecast(pipeline.forecast().withCombine(false));
        SeriesForecaster forecaster = new SeriesForecaster(alone, ModelCatalog.fromArtifact(artifact));
        SeriesState state = forecaster.adopt(null);
        double model = 0;
        double naive = 0;
        double previousForecast = Double.NaN;
        for (int i = from; i < from + warmup + scored; i++) {
            double y = ecg.values()[i][0];
            if (i >= from + warmup) {
                model += Math.abs(y - previousForecast);
                naive += Math.abs(y - ecg.values()[i - 1][0]);
            }
            Outcome outcome =
                    forecaster.process(state, new Observation("ecg100", ecg.times()[i], ecg.values()[i], Map.of()));
            assertTrue(outcome instanceof Outcome.Accepted, outcome.toString());
            Forecast f = ((Outcome.Accepted) outcome).forecast();
            previousForecast = f == null || f.steps().isEmpty()
                    ? Double.NaN
                    : f.steps().get(0).value();
        }
        assertTrue(model < naive, "one-step MAE " + model / scored + ", naive " + naive / scored);
    }
}
