package io.seqcast.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.cli.SeqcastCommand;
import io.seqcast.kernel.Kernels;
import io.seqcast.model.CellType;
import io.seqcast.model.SequenceModel;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPartsTest {

    @Test
    void spreadShouldGiveMedianAndRange() {
        Spread s = Spread.of(3, 1, 2, 10);
        assertEquals(2.5, s.median());
        assertEquals(1, s.min());
        assertEquals(10, s.max());
        assertEquals(4, s.runs());
        assertEquals("2.50 [1.00..10.0] n=4", s.format(""));
    }

    @Test
    void noStepModelShouldKeepTheShapeAndLeaveTheStateAlone() {
        SequenceModel kernel =
                Kernels.best(Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, 6, 1)), "m", "1");
        NoStepModel none = new NoStepModel(kernel);
        assertEquals(kernel.info(), none.info());
        assertEquals(kernel.stateSize(), none.stateSize());
        float[] state = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        float[] out = {9, 9, 9, 9, 9, 9};
        none.step(1, new float[] {0.5f}, state, out);
        assertArrayEquals(new float[6], out);
        assertEquals(16, state[15]);
    }

    @Test
    void stateOfAnLstm2x64SeriesShouldBeItsPackedFloatsPlusTheForecastBookkeeping() {
        SequenceModel kernel =
                Kernels.best(Networks.build(NetworkSpec.of(CellType.LSTM, List.of(64, 64), 1, 6, 1)), "m", "1");
        int bytes = EngineBench.stateBytes(kernel);
        assertTrue(bytes >= 4 * 256 && bytes < 2048, bytes + " bytes"); // packed floats, not library arrays
    }

    @Test
    void benchShouldRefuseAnUnknownLatencySettingBeforeRunningAnything() {
        var cli = SeqcastCommand.commandLine();
        var err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute("bench", "--skip-step", "--latency-settings", "tuned,fastest");
        assertEquals(2, code, err.toString());
        assertTrue(
                err.toString().contains("unknown setting 'fastest'; choose from [commit10, defaults, linger0, tuned]"),
                err.toString());
    }

    @Test
    void benchAndBrokerShouldBeVerbsOfTheCommandLine() {
        assertTrue(SeqcastCommand.commandLine().getSubcommands().containsKey("bench"));
        assertTrue(SeqcastCommand.commandLine().getSubcommands().containsKey("broker"));
    }
}
