package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.testing.MinuteCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SeqcastCommandTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    /** {@code r}, checked to have succeeded (exit 0; a failure shows the command's output). */
    static Result succeeded(Result r) {
        assertEquals(0, r.exit(), r.out() + r.err());
        return r;
    }

    static Result run(String... args) {
        CommandLine cli = SeqcastCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void shouldRefuseToStartOnABadPipelineNamingFileKeyAndFix() throws IOException {
        Files.writeString(dir.resolve("p.yaml"), "name: p\ninput:\n  topic: t\nsampling:\n  interval: often\n");
        Result r = run("run", "--bootstrap-servers", "127.0.0.1:1", "--pipelines", dir.toString());
        assertEquals(SeqcastCommand.CONFIG_ERROR, r.exit(), r.err());
        assertTrue(r.err().contains("p.yaml: sampling.interval: invalid value 'often'"), r.err());
        assertTrue(r.err().contains("p.yaml: model.artifact: is required and not set."), r.err());
        assertTrue(r.err().contains("Fix: "), r.err());
    }

    @Test
    void shouldRefuseToStartOnABadEngineSetting() {
        Result r = run("run", "--bootstrap-servers", "127.0.0.1:1", "-D", "num.stream.threads=zero");
        assertEquals(SeqcastCommand.CONFIG_ERROR, r.exit(), r.err());
        assertTrue(r.err().contains("num.stream.threads: invalid value 'zero'"), r.err());
    }

    @Test
    void shouldLoadTheBundledPipelinesAndModel() {
        Result r = run("topology", "--pipelines", "topology");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("machines-series-state"), r.out());
    }

    @Test
    void shouldReplayAndTrainFromCsv() throws IOException {
        Path csv = MinuteCsv.write(dir.resolve("s.csv"), 400, i -> Math.sin(i / 8.0));
        Path out = dir.resolve("m.seqcast");
        Result r = run(
                "train",
                csv.toString(),
                "--cell",
                "rnn",
                "--layers",
                "4",
                "--horizon",
                "2",
                "--epochs",
                "2",
                "--name",
                "t",
                "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(out) > 0);
        assertTrue(r.out().contains("validation"), r.out());
    }
}
