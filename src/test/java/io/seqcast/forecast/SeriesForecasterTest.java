package io.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.Reason;
import io.seqcast.event.Observation;
import io.seqcast.forecast.Outcome.Accepted;
import io.seqcast.forecast.Outcome.Gap;
import io.seqcast.forecast.Outcome.Refused;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesForecasterTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;

    static Observation obs(long time, double v) {
        return new Observation("s", time, new double[] {v}, Map.of());
    }

    static SeriesState feed(SeriesForecaster f, int n) {
        SeriesState s = f.initialState();
        for (int i = 0; i < n; i++) {
            f.process(s, obs(T0 + i * STEP, Math.sin(i / 4.0)));
        }
        return s;
    }

    @Test
    void shouldRefuseLateAndDuplicateEventsWithoutTouchingTheState() {
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState s = feed(f, 10);
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] before = serde.serialize("t", s);

        var late = f.process(s, obs(T0 + 3 * STEP, 1));
        assertEquals(Reason.LATE, assertInstanceOf(Refused.class, late).reason());
        var duplicate = f.process(s, obs(T0 + 9 * STEP, 1));
        assertEquals(
                Reason.DUPLICATE, assertInstanceOf(Refused.class, duplicate).reason());

        assertArrayEquals(before, serde.serialize("t", s), "refused observations leave the state as it was");
    }

    @Test
    void shouldSayWhyAnAlertOpensWithTheThresholdAndTheObservationsTags() {
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        java.util.Random r = new java.util.Random(7);
        Map<String, String> tags = Map.of("site", "eu-west");
        io.seqcast.event.AnomalyAlert opened = null;
        for (int i = 0; i < 1200 && opened == null; i++) {
            double x = i < 1100 ? 5 + 2 * r.nextDouble() : 25; // bounded noise, then a level never seen
            var out = assertInstanceOf(
                    Accepted.class, f.process(s, new Observation("s", T0 + i * STEP, new double[] {x}, tags)));
            opened = out.alert();
            if (opened != null) {
                assertTrue(i >= 1100, "no alert before the jump (observation " + i + "): " + opened);
            }
        }
        assertNotNull(opened, "the jump opens an alert");
        assertEquals(io.seqcast.event.AnomalyAlert.Lifecycle.OPENED, opened.lifecycle());
        assertEquals(io.seqcast.anomaly.AnomalyKind.LEVEL, opened.kind());
        assertEquals(tags, opened.tags());
        assertTrue(opened.anomalyScore() >= opened.threshold() && opened.threshold() > 0, opened.toString());
    }

    @Test
    void shouldImputeAShortGapWithTheModelsOwnForecasts() {
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState s = feed(f, 30);
        Clock clock = s.slice(StagesOf.stage(f, TimeStage.class));
        long sinceReset = clock.sinceReset;
        var out = assertInstanceOf(Accepted.class, f.process(s, obs(T0 + 33 * STEP, 0.5)));
        assertEquals(Gap.IMPUTED, out.gap());
        assertEquals(3, out.imputed(), "observations 30, 31 and 32 are missing");
        assertEquals(sinceReset + 4, clock.sinceReset, "three imputed steps and the observation");
        assertNotNull(out.forecast().expected(), "scored against the forecast carried through the gap");
    }

    @Test
    void shouldResetOnAGapLongerThanTheImputeLimit() {
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState s = feed(f, 30);
        var out = assertInstanceOf(Accepted.class, f.process(s, obs(T0 + 100 * STEP, 0.5)));
        assertEquals(Gap.RESET, out.gap());
        assertNull(out.forecast().expected(), "nothing was forecast for the first observation after a reset");
        assertTrue(out.forecast().warmingUp(), "the series warms up again");
    }

    @Test
    void shouldResetOnAnyGapUnderTheResetPolicy() {
        PipelineConfig p = TestPipelines.withGapPolicy(TestPipelines.stateful(), PipelineConfig.GapPolicy.RESET);
        SeriesForecaster f = new SeriesForecaster(p, new TinyModel(1, 8, 3));
        SeriesState s = feed(f, 30);
        var out = assertInstanceOf(Accepted.class, f.process(s, obs(T0 + 32 * STEP, 0.5)));
        assertEquals(Gap.RESET, out.gap());
        var next = assertInstanceOf(Accepted.class, f.process(s, obs(T0 + 33 * STEP, 0.5)));
        assertEquals(Gap.NONE, next.gap(), "within tolerance of the interval is no gap");
    }

    @Test
    void shouldForecastEveryStepInWindowedModeFromTheLatestRun() {
        PipelineConfig p = TestPipelines.withMode(TestPipelines.stateful(), PipelineConfig.Mode.WINDOWED);
        SeriesForecaster f = new SeriesForecaster(p, new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        int[] stepsSeen = new int[40];
        for (int i = 0; i < 40; i++) {
            var out = assertInstanceOf(Accepted.class, f.process(s, obs(T0 + i * STEP, Math.sin(i / 4.0))));
            stepsSeen[i] = out.forecast().steps().size();
            if (i >= 16) {
                assertNotNull(out.forecast().expected(), "observation " + i + " is scored");
            }
        }
        // window 16, stride 2, horizon 3: runs at observations 15, 17, 19...; in between, 2 steps remain
        assertEquals(0, stepsSeen[14]);
        assertEquals(3, stepsSeen[15]);
        assertEquals(2, stepsSeen[16]);
        assertEquals(3, stepsSeen[17]);
    }

    @Test
    void shouldRoundTripTheStateExactly() {
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState s = feed(f, 50);
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] bytes = serde.serialize("t", s);
        SeriesState back = serde.deserialize("t", bytes);
        assertArrayEquals(bytes, serde.serialize("t", back));
        var a = f.process(s, obs(T0 + 50 * STEP, 0.3));
        var b = f.process(back, obs(T0 + 50 * STEP, 0.3));
        assertEquals(a, b, "a restored state continues exactly as the original");
    }

    @Test
    void shouldKeepIntervalsOnTheSeriesScaleFromItsFirstObservations() {
        SeriesForecaster f = new SeriesForecaster(TestPipelines.stateful(), new TinyModel(1, 8, 3));
        SeriesState s = f.initialState();
        java.util.Random r = new java.util.Random(1);
        Accepted last = null;
        for (int i = 0; i < 300; i++) {
            last = assertInstanceOf(
                    Accepted.class,
                    f.process(s, obs(T0 + i * STEP, 10_000 + 500 * Math.sin(i / 10.0) + 100 * r.nextGaussian())));
        }
        var step = last.forecast().steps().get(0);
        double width = step.upper() - step.lower();
        assertTrue(width > 0 && width < 5_000, "a 90% interval of a series with std ~400 is " + width + " wide");
    }
}
