package io.seqcast.reliability;

import io.seqcast.app.Engine;
import io.seqcast.config.EngineConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An engine in a child JVM, for the crash tests: {@code EngineMain PREFIX SERIES LENGTH key=value...} runs the
 * {@link Scenario} pipeline with the engine settings given, prints {@link #READY} once Kafka Streams runs, and runs
 * until the process is killed.
 */
public final class EngineMain {

    static final String READY = "seqcast-engine-ready";

    private EngineMain() {}

    public static void main(String[] args) throws Exception {
        Scenario scenario = new Scenario(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Map<String, String> settings = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Engine engine = Engine.start(
                EngineConfig.from(Map.of("arguments", settings)), List.of(scenario.pipeline()), p -> Scenario.model());
        if (!engine.awaitRunning(Duration.ofMinutes(2))) {
            System.err.println("engine not running after 2 minutes");
            System.exit(2);
        }
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }
}
