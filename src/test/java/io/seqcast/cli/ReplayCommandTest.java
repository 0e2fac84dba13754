package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ReplayCommandTest {

    @Test
    void shouldRefuseTwoWaysOfReadingAnEcgRecord() {
        var cmd = SeqcastCommand.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(
                "replay",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--topic",
                "t",
                "--ecg",
                "36",
                "--lead",
                "PT0.011111111S",
                "data/ecg/mitdb_100_signal.csv.gz");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("give one of them"), err.toString());
    }
}
