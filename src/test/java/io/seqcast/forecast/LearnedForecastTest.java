package io.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Forecast;
import io.seqcast.event.Observation;
import io.seqcast.learn.HeadState;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Per-series learning through the forecaster: a new series is forecast by its last value, the learned layer learns a
 * series' own linear rule, and what it learned survives the state's codec (round trip, golden files of format 5,
 * before learning, and 6 with a learned layer).
 */
class LearnedForecastTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 300_000L;

    static PipelineConfig learning() {
        return TestPipelines.withLearning(TestPipelines.withCombination(TestPipelines.stateful(), 48));
    }

    static PipelineConfig learningAlone() {
        return TestPipelines.withLearning(TestPipelines.stateful());
    }

    static byte[] golden(int version) throws Exception {
        try (InputStream in = LearnedForecastTest.class.getResourceAsStream(
                "/state/series-state-v" + version + (version == 6 ? "-learned" : "") + ".bin")) {
            return in.readAllBytes();
        }
    }

    /** The state of the version-6 golden file: {@link #learning()}, 150 observations of {@link #value}. */
    static SeriesState goldenRun(SeriesForecaster f) {
        return run(f, 150);
    }

    /** The state after {@code n} observations of {@link #value} (seed 5). */
    static SeriesState run(SeriesForecaster f, int n) {
        SeriesState s = f.initialState();
        Random r = new Random(5);
        for (int i = 0; i < n; i++) {
            f.process(s, observation(i, value(i, r)));
        }
        return s;
    }

    static double value(int i, Random r) {
        return 20 + 5 * Math.sin(i / 6.0) + 0.3 * r.nextGaussian();
    }

    static Observation observation(int i, double v) {
        return new Observation("s", T0 + i * STEP, new double[] {v}, Map.of());
    }

    @Test
    void shouldForecastANewSeriesByItsLastValue() {
        SeriesForecaster f = new SeriesForecaster(learningAlone(), new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        Random r = new Random(1);
        // until it has seen LearnedStage.MIN_CHANGES changes, and at its first forecast from inputs (zero weights)
        for (int i = 0; i <= LearnedStage.MIN_CHANGES; i++) {
            double v = value(i, r);
            Forecast fc = ((Outcome.Accepted) f.process(s, observation(i, v))).forecast();
            for (var step : fc.steps()) {
                assertEquals(v, step.value(), 1e-9, "observation " + i + " step " + step.step());
            }
        }
    }

    /**
     * A series whose changes follow a known linear rule (an AR(2) of its differences, with noise): the learned
     * forecasts come close to the rule's own, far better than the last value, where the untrained model knows nothing
     * of it.
     */
    @Test
    void shouldLearnASeriesOwnLinearRule() {
        SeriesForecaster f = new SeriesForecaster(learningAlone(), new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        Random r = new Random(3);
        double y = 100;
        double d1 = 0;
        double d2 = 0;
        double learnedError = 0;
        double naiveError = 0;
        double ruleError = 0;
        double previousForecast = Double.NaN;
        int scored = 0;
        for (int i = 0; i < 4000; i++) {
            double rule = 0.9 * d1 - 0.4 * d2;
            double d = rule + r.nextGaussian();
            double next = y + d;
            if (i >= 3000) {
                learnedError += Math.abs(next - previousForecast);
                naiveError += Math.abs(next - y);
                ruleError += Math.abs(next - (y + rule));
                scored++;
            }
            y = next;
            d2 = d1;
            d1 = d;
            Forecast fc = ((Outcome.Accepted) f.process(s, observation(i, y))).forecast();
            previousForecast = fc.steps().get(0).value();
        }
        double learned = learnedError / scored;
        double naive = naiveError / scored;
        double best = ruleError / scored;
        assertTrue(learned < 0.85 * naive, "learned " + learned + ", naive " + naive);
        assertTrue(learned < 1.05 * best, "learned " + learned + ", the rule itself " + best);
    }

    /**
     * {@code p} with learning on (no calendar terms), the learned layer published alone or combined, and the input of
     * the series' recent departure from its first profile with memory {@code deviationMemory} (0: none).
     */
    static PipelineConfig withDeviation(PipelineConfig p, boolean combine, int deviationMemory) {
        var f = p.forecast();
        var on = PipelineConfig.Learning.on();
        return p.withForecast(new PipelineConfig.ForecastSettings(
                f.horizon(),
                f.coverage(),
                combine,
                new PipelineConfig.Learning(
                        true, on.lags(), on.calendar(), on.change(), on.forgetting(), on.prior(), deviationMemory, 0),
                f.calibrationRate()));
    }

    /**
     * The departure input is the recent mean of the series minus its profile: near 0 while the daily cycle repeats,
     * near the shift once the series runs 4 above its usual shape for a while (memory 18: after 100 observations).
     */
    @Test
    void shouldFollowTheSeriesDepartureFromItsProfile() {
        PipelineConfig p = withDeviation(TestPipelines.withCombination(TestPipelines.stateful(), 288), false, 18);
        SeriesForecaster f = new SeriesForecaster(p, new TinyModel(1, 8, 3));
        LearnedStage stage = StagesOf.stage(f, LearnedStage.class);
        int day = 288;
        SeriesState s = f.initialState();
        Random r = new Random(21);
        for (int i = 0; i < 3 * day + 100; i++) {
            double shift = i >= 3 * day ? 4 : 0;
            double v = 20 + 5 * Math.sin(2 * Math.PI * i / day) + shift + 0.3 * r.nextGaussian();
            f.process(s, observation(i, v));
            if (i == 3 * day - 1) {
                double usual = s.slice(stage).deviation;
                assertTrue(Math.abs(usual) < 0.3, "while the cycle repeats: " + usual);
            }
        }
        double shifted = s.slice(stage).deviation;
        assertEquals(4, shifted, 0.3, "after 100 observations 4 above the usual shape");
    }

    /** {@code p} with learning on (no calendar terms, 4 change lags) and the seasonal lag input at {@code lag}. */
    static PipelineConfig withSeasonalLag(PipelineConfig p, boolean combine, int lag) {
        var f = p.forecast();
        var on = PipelineConfig.Learning.on();
        return p.withForecast(new PipelineConfig.ForecastSettings(
                f.horizon(),
                f.coverage(),
                combine,
                new PipelineConfig.Learning(true, 4, on.calendar(), on.change(), on.forgetting(), on.prior(), 0, lag),
                f.calibrationRate()));
    }

    /**
     * A series that repeats a random shape every 12 observations on a wandering level: the change over the next h
     * steps is the change over the same steps one period earlier, which the seasonal lag input gives the layer (and
     * 4 change lags do not). With it, the learned forecasts of every step come close to that rule's; without it they
     * stay far from it. Fails if the input were of other observations than {@code y(t+h-L) - y(t-L)}.
     */
    @Test
    void shouldLearnTheChangeOneSeasonEarlierFromTheSeasonalLag() {
        int period = 12;
        double[] with = seasonalLagErrors(period);
        double[] without = seasonalLagErrors(0);
        int horizon = with.length / 2;
        for (int k = 0; k < horizon; k++) {
            assertTrue(with[k] < 0.5 * without[k], "step " + (k + 1) + ": " + with[k] + " against " + without[k]);
            assertTrue(
                    with[k] < 1.3 * with[horizon + k],
                    "step " + (k + 1) + ": " + with[k] + " against the rule's " + with[horizon + k]);
        }
    }

    /**
     * Mean absolute errors of steps 1..H of the learned layer alone with seasonal lag {@code lag} (0: none) over the
     * last 1,000 of 3,000 observations of a 12-periodic random shape on a random-walk level, then the rule's (last value
     * plus the change over the same steps one period earlier).
     */
    private static double[] seasonalLagErrors(int lag) {
        SeriesForecaster f =
                new SeriesForecaster(withSeasonalLag(TestPipelines.stateful(), false, lag), new TinyModel(1, 8, 3));
        int horizon = TestPipelines.stateful().forecast().horizon();
        Random shapes = new Random(4);
        double[] shape = new double[12];
        for (int j = 0; j < shape.length; j++) {
            shape[j] = 10 * shapes.nextGaussian();
        }
        Random r = new Random(8);
        SeriesState s = f.initialState();
        int n = 3000;
        double[] y = new double[n];
        double[][] forecasts = new double[n][];
        double level = 0;
        for (int i = 0; i < n; i++) {
            level += 0.2 * r.nextGaussian();
            y[i] = 100 + level + shape[i % 12] + 0.2 * r.nextGaussian();
            Forecast fc = ((Outcome.Accepted) f.process(s, observation(i, y[i]))).forecast();
            forecasts[i] = fc.steps().stream().mapToDouble(st -> st.value()).toArray();
        }
        double[] errors = new double[2 * horizon];
        int scored = 0;
        for (int i = n - 1000; i < n - horizon; i++) {
            for (int k = 0; k < horizon; k++) {
                errors[k] += Math.abs(y[i + k + 1] - forecasts[i][k]);
                errors[horizon + k] += Math.abs(y[i + k + 1] - (y[i] + y[i + k + 1 - 12] - y[i - 12]));
            }
            scored++;
        }
        for (int k = 0; k < errors.length; k++) {
            errors[k] /= scored;
        }
        return errors;
    }

    /** The recent values the seasonal lag input reads are part of the learned state: restarts change nothing. */
    @Test
    void shouldKeepTheSeasonalLagInputAcrossARestart() {
        SeriesForecaster f = new SeriesForecaster(
                withSeasonalLag(TestPipelines.withCombination(TestPipelines.stateful(), 48), true, 24),
                new TinyModel(1, 8, 3));
        SeriesState kept = restartedAtEveryStep(f, 3);
        HeadState learned = kept.slice(StagesOf.stage(f, LearnedStage.class));
        assertEquals(24, learned.lags(), "the last 25 values are kept");
        assertTrue(!Float.isNaN(learned.values[24]), "the value one lag back: " + learned.values[24]);
    }

    /** The departure input's mean is part of the learned state: written and read back, the forecasts are the same. */
    @Test
    void shouldKeepTheDepartureAcrossARestart() {
        SeriesForecaster f = new SeriesForecaster(
                withDeviation(TestPipelines.withCombination(TestPipelines.stateful(), 48), true, 12),
                new TinyModel(1, 8, 3));
        SeriesState kept = restartedAtEveryStep(f, 3);
        HeadState learned = kept.slice(StagesOf.stage(f, LearnedStage.class));
        assertTrue(learned.deviation != 0, "the departure was followed: " + learned.deviation);
    }

    @Test
    void shouldForecastTheSameAfterEveryStepIsWrittenAndReadBack() {
        SeriesForecaster f = new SeriesForecaster(learning(), new TinyModel(1, 8, 3));
        SeriesState kept = restartedAtEveryStep(f, 0);
        HeadState learned = kept.slice(StagesOf.stage(f, LearnedStage.class));
        assertTrue(learned.updates > 300, "the head learned: " + learned.updates + " updates");
    }

    /**
     * The version-6 golden file holds what {@link #goldenRun} learns; read back, it forecasts the same. It was written
     * with the likelihood section's version 1, whose statistics are dropped (issue 18): the learned slice is kept bit
     * for bit, the forecasts continue exactly, the anomaly score differs while the likelihood warms up again.
     */
    @Test
    void shouldReadTheVersion6GoldenStateAsWritten() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] v6 = golden(6);
        assertEquals(6, v6[0], "the golden file is a version-6 state");
        SeriesForecaster f = new SeriesForecaster(learning(), new TinyModel(1, 8, 3));
        SeriesState read = f.adopt(serde.deserialize("t", v6));
        HeadState learned = read.slice(StagesOf.stage(f, LearnedStage.class));
        assertTrue(learned.updates > 100, learned.updates + " updates");
        SeriesState fresh = goldenRun(f);
        assertEquals(
                SeriesStateVersionTest.json(fresh.slice(StagesOf.stage(f, LearnedStage.class))),
                SeriesStateVersionTest.json(learned),
                "the learned slice, as written");
        Random r = new Random(11);
        for (int i = 150; i < 160; i++) {
            Observation o = observation(i, value(i, r));
            var a = ((Outcome.Accepted) f.process(fresh, o)).forecast();
            var b = ((Outcome.Accepted) f.process(read, o)).forecast();
            assertEquals(a.expected(), b.expected(), "observation " + i);
            assertEquals(a.steps(), b.steps(), "observation " + i);
        }
    }

    /** A version-5 state (written by the release before learning) starts learning from "no change". */
    @Test
    void shouldAdoptAVersion5StateWithAFreshLearnedLayer() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] v5 = golden(5);
        assertEquals(5, v5[0], "the golden file is a version-5 state");
        SeriesForecaster f = new SeriesForecaster(learning(), new TinyModel(1, 8, 3));
        SeriesState s = f.adopt(serde.deserialize("t", v5));
        HeadState learned = s.slice(StagesOf.stage(f, LearnedStage.class));
        assertEquals(0, learned.updates, "nothing learned yet");
        assertTrue(s.count > 100, "everything else is kept: " + s.count + " observations");
        f.process(s, observation(150, 21));
        byte[] v6 = serde.serialize("t", s);
        assertEquals(SeriesStateSerde.VERSION, v6[0]);
        assertArrayEquals(v6, serde.serialize("t", serde.deserialize("t", v6)));
    }

    /** The pipeline of the golden file with the departure input: {@link #learning()} with memory 12. */
    static PipelineConfig learningWithDeparture() {
        return withDeviation(learning(), true, 12);
    }

    /** The state of the departure golden file: 400 observations of {@link #value} (past the first day's profile). */
    static SeriesState departureRun(SeriesForecaster f) {
        return run(f, 400);
    }

    /**
     * The golden file of the learned section's version 2 (the departure from the profile, {@link #departureRun} with
     * {@link #learningWithDeparture()}): read back, the learned slice is as written and the forecasts continue exactly.
     */
    @Test
    void shouldReadTheLearnedSectionVersion2GoldenStateAsWritten() throws Exception {
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] bytes;
        try (InputStream in =
                LearnedForecastTest.class.getResourceAsStream("/state/series-state-v6-learned-departure.bin")) {
            bytes = in.readAllBytes();
        }
        SeriesForecaster f = new SeriesForecaster(learningWithDeparture(), new TinyModel(1, 8, 3));
        SeriesState read = f.adopt(serde.deserialize("t", bytes));
        HeadState learned = read.slice(StagesOf.stage(f, LearnedStage.class));
        assertTrue(learned.deviation != 0, "the departure was written: " + learned.deviation);
        SeriesState fresh = departureRun(f);
        assertEquals(
                SeriesStateVersionTest.json(fresh.slice(StagesOf.stage(f, LearnedStage.class))),
                SeriesStateVersionTest.json(learned),
                "the learned slice, as written");
        assertArrayEquals(serde.serialize("t", fresh), serde.serialize("t", read));
        Random r = new Random(11);
        for (int i = 400; i < 410; i++) {
            Observation o = observation(i, value(i, r));
            assertEquals(f.process(fresh, o), f.process(read, o), "observation " + i);
        }
    }

    /**
     * Writes the golden files (run by hand when the format changes, never by the suite): the version-6 state to
     * {@code args[0]}, and with a second argument the learned section's version 2 (the departure) to {@code args[1]}.
     */
    public static void main(String[] args) throws Exception {
        SeriesForecaster f = new SeriesForecaster(learning(), new TinyModel(1, 8, 3));
        java.nio.file.Files.write(java.nio.file.Path.of(args[0]), new SeriesStateSerde().serialize("t", goldenRun(f)));
        if (args.length > 1) {
            SeriesForecaster d = new SeriesForecaster(learningWithDeparture(), new TinyModel(1, 8, 3));
            java.nio.file.Files.write(
                    java.nio.file.Path.of(args[1]), new SeriesStateSerde().serialize("t", departureRun(d)));
        }
    }

    /**
     * Runs 400 observations (the series shifted by {@code shift} after the 200th) twice: once in memory, once with the
     * state written and read back before every step; asserts every outcome and the final bytes alike.
     *
     * @return the state kept in memory
     */
    private static SeriesState restartedAtEveryStep(SeriesForecaster f, double shift) {
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesState kept = f.initialState();
        byte[] stored = serde.serialize("t", f.initialState());
        Random r = new Random(9);
        for (int i = 0; i < 400; i++) {
            Observation o = observation(i, value(i, r) + (i > 200 ? shift : 0));
            SeriesState restored = f.adopt(serde.deserialize("t", stored));
            var expected = f.process(kept, o);
            assertEquals(expected, f.process(restored, o), "observation " + i);
            stored = serde.serialize("t", restored);
        }
        assertArrayEquals(serde.serialize("t", kept), stored);
        return kept;
    }
}
