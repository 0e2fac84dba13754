package io.seqcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.seqcast.errors.DeadLetterProductionHandler;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** What the engine's settings give Kafka Streams. */
class StreamsPropertiesTest {

    private static EngineConfig config(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("bootstrap.servers", "127.0.0.1:9092");
        return EngineConfig.from(Map.of("test", all));
    }

    @Test
    void shouldGiveThePartitionAssignorsCopyTheGlobalHandlerSettingSoThatItDoesNotWarn() {
        // the assignor builds a StreamsConfig from the main consumer's settings: without the key there, that copy
        // reads the default (false) and logs "Processing exception handler is not enabled for the GlobalThread"
        Map<String, Object> consumer =
                new StreamsConfig(config(Map.of()).streamsProperties()).getMainConsumerConfigs("group", "client", 0);
        assertEquals(true, consumer.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
    }

    @Test
    void shouldSetStaticMembershipOnlyWhenAGroupInstanceIdIsGiven() {
        assertNull(config(Map.of()).streamsProperties().get("group.instance.id"));
        assertEquals(
                "engine-1",
                config(Map.of("group.instance.id", "engine-1"))
                        .streamsProperties()
                        .get("group.instance.id"));
    }

    @Test
    void shouldUseTheDeadLetterProductionHandlerAndTheDocumentedDefaults() {
        EngineConfig c = config(Map.of());
        assertEquals(
                DeadLetterProductionHandler.class,
                c.streamsProperties().get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG));
        assertEquals(Duration.ofDays(1), c.timeWindow().maxAhead());
        assertNull(c.timeWindow().maxBehind(), "any past time by default: history can be replayed");
        assertEquals(Duration.ofSeconds(15), c.healthBrokerTimeout());
        assertEquals(Duration.ofMinutes(2), c.stallTimeout());
        assertFalse(config(Map.of("stall.restart", "false")).restartStalled());
        assertEquals(
                Duration.ofHours(1),
                config(Map.of("time.max.behind.ms", "3600000")).timeWindow().maxBehind());
    }
}
