package io.seqcast.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineConfig.Mode;
import io.seqcast.event.Covariates;
import io.seqcast.model.CellType;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import io.seqcast.testing.TestPipelines;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A model that does not fit its pipeline (shape, task, input width, horizon, window) is refused, each misfit naming
 * the model's side, the pipeline's side and the fix. The test pipeline: stateful, 1 feature, horizon 3, window 16.
 */
class ModelFitTest {

    static final PipelineConfig STATEFUL = TestPipelines.stateful();
    static final PipelineConfig WINDOWED = TestPipelines.withMode(STATEFUL, Mode.WINDOWED);

    static ModelMetadata forecaster(int inputs, int horizon) {
        ModelInfo info = new ModelInfo("m", "7", CellType.LSTM, List.of(4), inputs, horizon * inputs);
        List<String> features = java.util.stream.IntStream.range(0, inputs)
                .mapToObj(i -> "v" + i)
                .toList();
        return ModelMetadata.of(info, features, horizon, 0, Map.of(), "test", Map.of(), Instant.now());
    }

    static ModelMetadata windowModel(int window, int horizon) {
        ModelInfo info = new ModelInfo("m", "7", CellType.LSTM, List.of(4), 1, horizon);
        return ModelMetadata.of(info, List.of("v"), horizon, window, Map.of(), "test", Map.of(), Instant.now())
                .toBuilder()
                .shape(SequenceShape.MANY_TO_ONE)
                .build();
    }

    static String only(List<String> misfits) {
        assertEquals(1, misfits.size(), misfits.toString());
        return misfits.get(0);
    }

    @Test
    void shouldAcceptModelsThatFit() {
        assertEquals(List.of(), ModelFit.misfits(STATEFUL, forecaster(1, 3)));
        assertEquals(List.of(), ModelFit.misfits(STATEFUL, forecaster(1, 6)), "a longer horizon is cut");
        assertEquals(List.of(), ModelFit.misfits(WINDOWED, forecaster(1, 3)));
        assertEquals(List.of(), ModelFit.misfits(WINDOWED, windowModel(16, 3)));
    }

    static ModelMetadata withCovariates(Covariates covariates, int horizon) {
        List<String> inputs = new java.util.ArrayList<>(List.of("v"));
        inputs.addAll(covariates.names());
        ModelInfo info = new ModelInfo("m", "7", CellType.LSTM, List.of(4), inputs.size(), horizon);
        return ModelMetadata.of(info, inputs, horizon, 16, Map.of(), "test", Map.of(), Instant.now()).toBuilder()
                .shape(SequenceShape.MANY_TO_ONE)
                .build();
    }

    @Test
    void shouldAcceptAModelTrainedWithThePipelinesCovariates() {
        Covariates both = Covariates.of(List.of("time-of-day", "day-of-week"));
        assertEquals(List.of(), ModelFit.misfits(WINDOWED.withCovariates(both), withCovariates(both, 3)));
    }

    @Test
    void shouldRefuseACovariateMismatchNamingBothSidesAndTheFix() {
        Covariates both = Covariates.of(List.of("time-of-day", "day-of-week"));
        Covariates day = Covariates.of(List.of("time-of-day"));
        String m = only(ModelFit.misfits(WINDOWED.withCovariates(day), withCovariates(both, 3)));
        assertTrue(
                m.startsWith("model m 7 was trained with covariates time-of-day,day-of-week; test.yaml has"
                        + " model.covariates time-of-day."),
                m);
        assertTrue(
                m.contains("Fix: set model.covariates: [time-of-day, day-of-week], or train with --covariates"
                        + " time-of-day."),
                m);
        String none = only(ModelFit.misfits(WINDOWED, withCovariates(both, 3)));
        assertTrue(none.contains("test.yaml has model.covariates none"), none);
        String plain = only(ModelFit.misfits(WINDOWED.withCovariates(day), windowModel(16, 3)));
        assertTrue(plain.startsWith("model m 7 was trained with covariates none;"), plain);
        assertTrue(plain.contains("Fix: set model.covariates: [], or train with --covariates time-of-day."), plain);
        String order = only(ModelFit.misfits(
                WINDOWED.withCovariates(Covariates.of(List.of("day-of-week", "time-of-day"))),
                withCovariates(both, 3)));
        assertTrue(order.contains("model.covariates day-of-week,time-of-day"), "order matters: " + order);
    }

    @Test
    void shouldRefuseAWindowModelInAStatefulPipeline() {
        String m = only(ModelFit.misfits(STATEFUL, windowModel(16, 3)));
        assertTrue(m.startsWith("model m 7 is many-to-one over windows of 16; test.yaml is stateful"), m);
        assertTrue(m.contains("Fix: train with --shape many-to-many, or set mode: windowed with window.length: 16"), m);
    }

    @Test
    void shouldRefuseAWindowModelOfAnotherWindowLength() {
        String m = only(ModelFit.misfits(WINDOWED, windowModel(48, 3)));
        assertTrue(
                m.contains("trained on windows of 48 steps; test.yaml has window.length 16. Fix: set"
                        + " window.length: 48, or train with --window 16."),
                m);
    }

    @Test
    void shouldRefuseAnotherInputWidth() {
        String m = only(ModelFit.misfits(STATEFUL, forecaster(2, 3)));
        assertTrue(m.contains("takes 2 input features; test.yaml has input.features 1. Fix: set input.features: 2"), m);
    }

    @Test
    void shouldRefuseAShorterHorizon() {
        String m = only(ModelFit.misfits(STATEFUL, forecaster(1, 2)));
        assertTrue(
                m.contains("forecasts 2 steps; test.yaml has forecast.horizon 3. Fix: set forecast.horizon: 2 or"
                        + " less, or train with --horizon 3."),
                m);
    }

    static ModelMetadata sequenceModel(SequenceShape shape, int window, int horizon) {
        ModelInfo info = new ModelInfo("m", "7", CellType.LSTM, List.of(4), 1, 1);
        return ModelMetadata.of(info, List.of("v"), horizon, window, Map.of(), "test", Map.of(), Instant.now())
                .toBuilder()
                .shape(shape)
                .outputSteps(horizon)
                .build();
    }

    @Test
    void shouldServeAnEncoderDecoderOfTheWindowsLengthInAWindowedPipelineOnly() {
        ModelMetadata ed = sequenceModel(SequenceShape.ENCODER_DECODER, 16, 3);
        assertEquals(List.of(), ModelFit.misfits(WINDOWED, ed));
        assertTrue(only(ModelFit.misfits(STATEFUL, ed))
                .contains("is encoder-decoder over windows of 16; test.yaml is" + " stateful"));
        String m = only(ModelFit.misfits(WINDOWED, sequenceModel(SequenceShape.ENCODER_DECODER, 8, 3)));
        assertTrue(
                m.contains("is encoder-decoder, trained on windows of 8 steps; test.yaml has window.length 16."
                        + " Fix: set window.length: 8, or train with --window 16."),
                m);
    }

    @Test
    void shouldServeAOneToManyFromAWindowOfOneObservation() {
        ModelMetadata om = sequenceModel(SequenceShape.ONE_TO_MANY, 1, 3);
        String m = only(ModelFit.misfits(WINDOWED, om));
        assertTrue(
                m.contains("is one-to-many: it reads one observation's vector; test.yaml has window.length 16."
                        + " Fix: set window.length: 1."),
                m);
        PipelineConfig one = io.seqcast.testing.TestPipelines.pipeline(
                WINDOWED.name(),
                WINDOWED.source(),
                WINDOWED.input(),
                WINDOWED.sampling(),
                WINDOWED.modelArtifact(),
                Mode.WINDOWED,
                new PipelineConfig.Window(1, 1),
                WINDOWED.forecast(),
                WINDOWED.anomaly(),
                WINDOWED.output());
        assertEquals(List.of(), ModelFit.misfits(one, om));
    }

    @Test
    void shouldRefuseAForecasterInAClassifyPipelineAndAClassifierElsewhere() {
        PipelineConfig classify = TestPipelines.withMode(STATEFUL, Mode.CLASSIFY);
        assertTrue(only(ModelFit.misfits(classify, forecaster(1, 3))).contains("needs a many-to-one classifier"));
        ModelInfo info = new ModelInfo("c", "1", CellType.GRU, List.of(4), 1, 2);
        ModelMetadata classifier =
                ModelMetadata.of(info, List.of("ecg"), 1, 40, Map.of(), "t", Map.of(), Instant.now()).toBuilder()
                        .shape(SequenceShape.MANY_TO_ONE)
                        .task(ModelMetadata.CLASSIFY, List.of("a", "b"))
                        .build();
        assertEquals(List.of(), ModelFit.misfits(classify, classifier));
        assertTrue(only(ModelFit.misfits(STATEFUL, classifier))
                .contains("is a classify model; test.yaml is a" + " stateful pipeline, which needs a forecaster"));
    }

    static ModelMetadata withDifferences(int horizon) {
        List<String> inputs = io.seqcast.model.ModelInputs.VALUES_AND_DIFFERENCES.names(List.of("value"));
        ModelInfo info = new ModelInfo("m", "7", CellType.LSTM, List.of(4), inputs.size(), horizon);
        return ModelMetadata.of(info, inputs, horizon, 0, Map.of(), "test", Map.of(), Instant.now());
    }

    @Test
    void shouldServeADifferenceModelStatefulAndRefuseItWindowedNamingModeAndTheFix() {
        assertEquals(List.of(), ModelFit.misfits(STATEFUL, withDifferences(3)));
        String misfit = only(ModelFit.misfits(WINDOWED, withDifferences(3)));
        assertTrue(misfit.contains("differences") && misfit.contains("mode windowed"), misfit);
        assertTrue(misfit.contains("Fix: set mode: stateful"), misfit);
        // two inputs that are not a value and its difference are two features, which the pipeline does not have
        assertTrue(only(ModelFit.misfits(STATEFUL, forecaster(2, 3))).contains("input.features 1"));
    }
}
