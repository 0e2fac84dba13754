package io.seqcast.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@link EngineMain} in its own JVM, started with this JVM's classpath; {@link #kill()} ends it with SIGKILL, as a
 * crashed machine or an OOM killer would: no shutdown hook, no commit, no clean close.
 */
final class ChildEngine implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildEngine(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildEngine start(Scenario scenario, Map<String, String> settings, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                EngineMain.class.getName(),
                scenario.prefix(),
                Integer.toString(scenario.series()),
                Integer.toString(scenario.length())));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return new ChildEngine(builder.start(), log);
    }

    /** Waits until the engine reports Kafka Streams running; fails with the end of its log otherwise. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(EngineMain.READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("engine exited with " + process.exitValue() + ":\n" + tail());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("engine not ready after " + timeout + ":\n" + tail());
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
