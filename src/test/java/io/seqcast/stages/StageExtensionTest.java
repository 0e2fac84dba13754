package io.seqcast.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Observation;
import io.seqcast.forecast.Outcome;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.forecast.Stage;
import io.seqcast.forecast.Step;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.state.StateInput;
import io.seqcast.state.StateOutput;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * A new stage with its own state is one class ({@link Peak}, outside the engine's packages, through the public API
 * only) and one registration (a forecaster built with it): it runs within the step, its slice is stored in its own
 * section, states stored without it or read without it keep working, and the other stages' outputs are unchanged.
 */
class StageExtensionTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 300_000L;

    /** The test stage's slice: how many observations were scored, and the largest residual among them. */
    static final class PeakSlice {
        long scored;
        double largest;
    }

    /** Keeps, per series, the largest residual (in recent RMS residuals) of any observation. */
    static class Peak implements Stage<PeakSlice> {

        @Override
        public PeakSlice initial() {
            return new PeakSlice();
        }

        @Override
        public void observe(Step step, PeakSlice slice) {
            if (step.expected != null) {
                slice.scored++;
                slice.largest = Math.max(slice.largest, Math.abs(step.sigmas));
            }
        }

        @Override
        public int tag() {
            return 100;
        }

        @Override
        public void write(PeakSlice slice, StateOutput out) {
            out.varint(slice.scored).putDouble(slice.largest);
        }

        @Override
        public PeakSlice read(StateInput in, int version) {
            PeakSlice slice = new PeakSlice();
            slice.scored = in.varint();
            slice.largest = in.getDouble();
            return slice;
        }
    }

    static PipelineConfig pipeline() {
        return TestPipelines.withCombination(TestPipelines.stateful(), 24);
    }

    /** The standard stages, with {@code peak} registered after them. */
    static SeriesForecaster with(Stage<?> peak) {
        return new SeriesForecaster(pipeline(), new TinyModel(1, 8, 3), stages -> {
            stages.add(peak);
            return stages;
        });
    }

    static SeriesForecaster standard() {
        return new SeriesForecaster(pipeline(), new TinyModel(1, 8, 3));
    }

    static Observation obs(int i) {
        double v = 20 + 5 * Math.sin(i / 6.0) + new Random(i).nextGaussian() + (i == 250 ? 30 : 0);
        return new Observation("s", T0 + i * STEP, new double[] {v}, Map.of());
    }

    static List<Outcome> feed(SeriesForecaster f, SeriesState s, int from, int to) {
        List<Outcome> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(f.process(s, obs(i)));
        }
        return out;
    }

    @Test
    void shouldRunTheStageWithinTheStepLeavingTheOutputsAsTheyWere() {
        Peak peak = new Peak();
        SeriesForecaster f = with(peak);
        SeriesState s = f.initialState();
        assertEquals(feed(standard(), standard().initialState(), 0, 300), feed(f, s, 0, 300));
        PeakSlice slice = s.slice(peak);
        assertTrue(slice.scored > 250 && slice.largest > 5, slice.scored + " scored, largest " + slice.largest);
    }

    @Test
    void shouldStoreTheSliceInItsOwnSection() {
        Peak peak = new Peak();
        SeriesForecaster f = with(peak);
        SeriesState s = f.initialState();
        feed(f, s, 0, 300);
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] bytes = serde.serialize("t", s);
        assertTrue(bytes.length > serde.serialize("t", feedNew(standard(), 300)).length, "one section more");
        SeriesState back = f.adopt(serde.deserialize("t", bytes));
        assertEquals(s.<PeakSlice>slice(peak).scored, back.slice(peak).scored);
        assertEquals(s.<PeakSlice>slice(peak).largest, back.slice(peak).largest);
        assertEquals(feed(f, s, 300, 320), feed(f, back, 300, 320));
    }

    @Test
    void shouldStartItsSliceAfreshForAStateStoredWithoutIt() {
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] before = serde.serialize("t", feedNew(standard(), 300));
        Peak peak = new Peak();
        SeriesForecaster f = with(peak);
        SeriesState s = f.adopt(serde.deserialize("t", before));
        assertEquals(0, s.<PeakSlice>slice(peak).scored);
        SeriesForecaster plain = standard();
        assertEquals(feed(plain, plain.adopt(serde.deserialize("t", before)), 300, 320), feed(f, s, 300, 320));
        assertEquals(20, s.<PeakSlice>slice(peak).scored);
    }

    @Test
    void shouldBeSkippedByAPipelineWithoutIt() {
        SeriesStateSerde serde = new SeriesStateSerde();
        SeriesForecaster f = with(new Peak());
        byte[] withPeak = serde.serialize("t", feedNew(f, 300));
        SeriesForecaster plain = standard();
        SeriesState s = plain.adopt(serde.deserialize("t", withPeak));
        assertEquals(feed(f, f.adopt(serde.deserialize("t", withPeak)), 300, 320), feed(plain, s, 300, 320));
    }

    @Test
    void shouldRefuseASectionVersionItDoesNotKnowNamingBoth() {
        Peak newer = new Peak() {
            @Override
            public int version() {
                return 2;
            }
        };
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] bytes = serde.serialize("t", feedNew(with(newer), 10));
        SeriesState stored = serde.deserialize("t", bytes);
        var e = assertThrows(
                SerializationException.class, () -> with(new Peak()).adopt(stored));
        assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains("versions 1 to 1"), e.getMessage());
    }

    @Test
    void shouldRefuseATagAnotherStageHas() {
        Peak clash = new Peak() {
            @Override
            public int tag() {
                return 1;
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> with(clash));
        assertTrue(e.getMessage().contains("tag 1"), e.getMessage());
    }

    static SeriesState feedNew(SeriesForecaster f, int n) {
        SeriesState s = f.initialState();
        feed(f, s, 0, n);
        return s;
    }
}
