package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.model.CellType;
import io.seqcast.model.ModelInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The architecture id stored with every series' state is the same in every JVM: otherwise a restarted instance
 * would take its own model for another architecture and reset every hidden state (found by {@link CrashRecoveryTest}).
 */
class ArchitectureIdTest {

    @Test
    void shouldIdentifyAnArchitectureByTheSameNumberInEveryJvm() {
        ModelInfo info = new ModelInfo("m", "1", CellType.LSTM, List.of(32, 32), 1, 6);
        assertEquals(GOLDEN, SeriesForecaster.architectureOf(info));
    }

    static final int GOLDEN = 1189723367;
}
