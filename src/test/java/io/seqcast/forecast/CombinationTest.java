package io.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.event.Forecast;
import io.seqcast.event.Observation;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Combined forecasts follow the candidate that forecasts the series best, learned from the series' own errors. */
class CombinationTest {

    static final long FIVE_MINUTES = 300_000;
    static final long DAY = 86_400_000;

    /** Mean absolute error of the 1-step forecasts over the last {@code scored} of {@code n} observations. */
    static double oneStepError(SeriesForecaster f, SeriesState s, LongToDoubleFunction series, int n, int scored) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long t = i * FIVE_MINUTES;
            var outcome = (Outcome.Accepted) f.process(s, observation(t, series.applyAsDouble(t)));
            Forecast forecast = outcome.forecast();
            if (i >= n - scored && !forecast.steps().isEmpty()) {
                sum += Math.abs(forecast.steps().get(0).value() - series.applyAsDouble(t + FIVE_MINUTES));
            }
        }
        return sum / scored;
    }

    static Observation observation(long t, double x) {
        return new Observation("s", t, new double[] {x}, Map.of());
    }

    @Test
    void shouldForecastADailyCycleTheModelNeverLearnedFromTheProfile() {
        // a square daily cycle: the untrained model forecasts noise, the last value misses every edge, the profile
        // of yesterday is right
        LongToDoubleFunction cycle = t -> Math.floorMod(t, DAY) < DAY / 2 ? 10 : 0;
        var plain = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        var combined = new SeriesForecaster(
                TestPipelines.withCombination(TestPipelines.stateful(), 48), new TinyModel(1, 8, 3));
        int n = 288 * 6;
        double modelError = oneStepError(plain, plain.initialState(), cycle, n, 288);
        double combinedError = oneStepError(combined, combined.initialState(), cycle, n, 288);
        assertTrue(
                combinedError < 0.01 && modelError > 1,
                "one-step MAE: combined " + combinedError + ", model alone " + modelError);
    }

    @Test
    void shouldForecastARandomWalkByItsLastValue() {
        Random r = new Random(7);
        double[] walk = new double[3000];
        for (int i = 1; i < walk.length; i++) {
            walk[i] = walk[i - 1] + r.nextGaussian();
        }
        LongToDoubleFunction series = t -> walk[(int) Math.min(walk.length - 1, t / FIVE_MINUTES)];
        var combined = new SeriesForecaster(
                TestPipelines.withCombination(TestPipelines.stateful(), 48), new TinyModel(1, 8, 3));
        double error = oneStepError(combined, combined.initialState(), series, walk.length - 1, 1000);
        // the last value's one-step MAE is E|N(0,1)| = 0.80; the profiles and the model are far worse on a walk
        assertTrue(error < 0.95, "one-step MAE of the combination on a random walk: " + error);
    }

    @Test
    void shouldCarryItsStatisticsThroughTheStateSerde() {
        var f = new SeriesForecaster(
                TestPipelines.withCombination(TestPipelines.stateful(), 24), new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        for (int i = 0; i < 800; i++) {
            f.process(s, observation(i * FIVE_MINUTES, Math.sin(i / 20.0)));
        }
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesState back = f.adopt(serde.deserialize("t", serde.serialize("t", s)));
        Combination stage = StagesOf.stage(f, Combination.class);
        Combination.Candidates before = s.slice(stage);
        Combination.Candidates after = back.slice(stage);
        assertArrayEquals(before.mse, after.mse);
        assertArrayEquals(before.recent, after.recent);
        for (int a = 0; a < 3; a++) {
            for (int k = a; k < 3; k++) { // the triangle a later observation reads
                assertEquals(
                        before.modelPending[a * 3 + k],
                        after.modelPending[a * 3 + k],
                        "model forecast " + a + ", " + k);
            }
        }
        assertForecastsAlike(f, s, back);
    }

    @Test
    void shouldCarryTheNetworksPendingForecastsThroughTheStateSerdeWhenItIsACandidateBesideTheLearnedLayer() {
        var f = new SeriesForecaster(
                TestPipelines.withCombineNetwork(
                        TestPipelines.withLearning(TestPipelines.withCombination(TestPipelines.stateful(), 24))),
                new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        for (int i = 0; i < 800; i++) {
            f.process(s, observation(i * FIVE_MINUTES, Math.sin(i / 20.0)));
        }
        Combination stage = StagesOf.stage(f, Combination.class);
        Combination.Candidates before = s.slice(stage);
        // last value, the model (learned), the daily profile and the network itself
        assertEquals(4, before.count.length);
        assertTrue(before.count[3] >= Combination.MIN_ERRORS, "the network was scored: " + before.count[3]);
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesState back = f.adopt(serde.deserialize("t", serde.serialize("t", s)));
        Combination.Candidates after = back.slice(stage);
        assertArrayEquals(before.mse, after.mse);
        for (int a = 0; a < 3; a++) {
            for (int k = a; k < 3; k++) {
                assertEquals(before.networkPending[a * 3 + k], after.networkPending[a * 3 + k], "network " + a + k);
            }
        }
        assertForecastsAlike(f, s, back);
    }

    /** The next ten observations forecast the same from the state kept in memory and from the one read back. */
    private static void assertForecastsAlike(SeriesForecaster f, SeriesState kept, SeriesState back) {
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int i = 800; i < 810; i++) {
            var o = observation(i * FIVE_MINUTES, Math.sin(i / 20.0));
            ((Outcome.Accepted) f.process(kept, o)).forecast().steps().forEach(x -> a.add(x.value()));
            ((Outcome.Accepted) f.process(back, o)).forecast().steps().forEach(x -> b.add(x.value()));
        }
        assertEquals(a, b);
    }
}
