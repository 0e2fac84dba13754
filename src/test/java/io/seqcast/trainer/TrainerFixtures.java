package io.seqcast.trainer;

import io.seqcast.event.Observation;
import io.seqcast.model.CellType;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.trainer.RecentWindows.SeriesWindow;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import io.seqcast.training.TrainingOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Series and models shared by the continual trainer's tests. */
public final class TrainerFixtures {

    public static final long T0 = 1_400_000_000_000L;
    public static final long STEP = 5 * 60_000L;
    public static final int HORIZON = 3;

    private TrainerFixtures() {}

    /** A daily-ish cycle (period 24) with a level, an amplitude and a little noise, per series. */
    public static double value(int series, int t) {
        SplittableRandom noise = new SplittableRandom(series * 100_003L + t);
        return 10 + 3 * series + (1 + series) * Math.sin(2 * Math.PI * t / 24.0 + series) + 0.05 * noise.nextGaussian();
    }

    public static Observation observation(int series, int t) {
        return new Observation("s" + series, T0 + t * STEP, new double[] {value(series, t)}, Map.of());
    }

    public static List<SeriesWindow> windows(int series, int length) {
        RecentWindows w = new RecentWindows(length, series);
        for (int t = 0; t < length; t++) {
            for (int s = 0; s < series; s++) {
                w.add(observation(s, t));
            }
        }
        return w.snapshot();
    }

    /** An untrained (randomly initialised) LSTM forecaster of {@code HORIZON} steps. */
    public static ModelArtifact untrained(String version, long seed) {
        var net = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, HORIZON, seed));
        ModelInfo info = new ModelInfo("cycle", version, CellType.LSTM, List.of(8), 1, HORIZON);
        return ModelArtifact.of(
                net, ModelMetadata.of(info, List.of("value"), HORIZON, 0, Map.of(), "test", Map.of(), Instant.now()));
    }

    /**
     * A broken challenger: an untrained network with its parameters scaled 20 times, so that its units saturate and
     * its forecasts land far from the series.
     */
    public static ModelArtifact broken(String version) {
        var net = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, HORIZON, 99));
        net.setParams(net.params().mul(20));
        ModelInfo info = new ModelInfo("cycle", version, CellType.LSTM, List.of(8), 1, HORIZON);
        return ModelArtifact.of(
                net, ModelMetadata.of(info, List.of("value"), HORIZON, 0, Map.of(), "test", Map.of(), Instant.now()));
    }

    /** Small, fast training: a few epochs of an 8-unit LSTM, one series per update, segments of 50 steps. */
    public static WarmStart quickTraining(int epochs) {
        return new WarmStart(
                new TrainingOptions(CellType.LSTM, List.of(8), 0, 0.02, epochs, 1, 50, 0.2, 2, null, 7), true);
    }

    static List<String> names(List<SeriesWindow> windows) {
        List<String> out = new ArrayList<>();
        windows.forEach(w -> out.add(w.series()));
        return out;
    }
}
