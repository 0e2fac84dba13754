package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.model.CellType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exploding and vanishing gradient warnings name the layer, and only when its gradients misbehave. */
class GradientWarningsTest {

    static final TrainingOptions OPTIONS = TrainingOptions.defaults(CellType.RNN, List.of(8, 8));

    static EpochReport epoch(int n, Map<String, Double> norms, Map<String, Double> clipped) {
        return new EpochReport(n, 1, 1, 1, norms, clipped, false);
    }

    @Test
    void shouldWarnNamingTheLayerWhoseGradientsVanish() {
        Map<String, Double> first = Map.of("rnn_0", 2.0, "rnn_1", 3.0, "output", 1.0);
        Set<String> warned = new HashSet<>();
        EpochReport collapsed = epoch(4, Map.of("rnn_0", 1e-4, "rnn_1", 2.5, "output", 0.9), Map.of());
        List<String> warnings = GradientMonitor.warnings(OPTIONS, collapsed, null, first, warned);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("layer rnn_0: gradients are vanishing"), warnings.get(0));
        assertEquals(List.of(), GradientMonitor.warnings(OPTIONS, collapsed, null, first, warned), "said once");
    }

    @Test
    void shouldWarnNamingTheLayerWhoseGradientsExplode() {
        Map<String, Double> first = Map.of("rnn_0", 2.0, "output", 1.0);
        EpochReport before = epoch(3, Map.of("rnn_0", 40.0, "output", 1.0), Map.of("rnn_0", 0.8, "output", 0.0));
        EpochReport now = epoch(4, Map.of("rnn_0", 50.0, "output", 1.0), Map.of("rnn_0", 0.9, "output", 0.1));
        List<String> warnings = GradientMonitor.warnings(OPTIONS, now, before, first, new HashSet<>());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("layer rnn_0: gradients are exploding"), warnings.get(0));
    }

    @Test
    void shouldStayQuietWhileGradientsAreHealthy() {
        Map<String, Double> first = Map.of("rnn_0", 2.0, "output", 1.0);
        EpochReport before = epoch(3, Map.of("rnn_0", 1.5, "output", 0.8), Map.of("rnn_0", 0.2));
        EpochReport now = epoch(4, Map.of("rnn_0", 1.2, "output", 0.7), Map.of("rnn_0", 0.1));
        assertEquals(List.of(), GradientMonitor.warnings(OPTIONS, now, before, first, new HashSet<>()));
    }
}
