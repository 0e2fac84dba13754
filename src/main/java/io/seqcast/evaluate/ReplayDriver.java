package io.seqcast.evaluate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.internals.StateDirectory;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Settings of the {@link TopologyTestDriver} an evaluation replays a series or a record through: a topology that
 * lives for one replay, over a state directory created for it in the OS temp directory and deleted after it.
 */
final class ReplayDriver {

    private ReplayDriver() {}

    static Properties properties(String applicationId, Path stateDir) {
        quietTempStateDirWarning();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // as the engine's settings (EngineConfig): opts in to Kafka 5.0's default, which is otherwise warned about
        // at every replay
        props.put("processing.exception.handler.global.enabled", true);
        return props;
    }

    /**
     * Kafka Streams warns, once per replay, that a state directory in the OS temp directory may be cleared under it.
     * A replay's directory lasts as long as the replay, so the warning says nothing here; a level set in the logging
     * configuration still wins.
     */
    private static void quietTempStateDirWarning() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            Logger logger = context.getLogger(StateDirectory.class);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.ERROR);
            }
        }
    }
}
