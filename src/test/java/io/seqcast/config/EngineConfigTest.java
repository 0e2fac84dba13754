package io.seqcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigTest {

    @Test
    void shouldLetLaterSourcesWinAndPassKafkaSettingsThrough() {
        Map<String, Map<String, String>> sources = new LinkedHashMap<>();
        sources.put(
                "file",
                Map.of(
                        "bootstrap.servers",
                        "a:9092",
                        "num.stream.threads",
                        "2",
                        "kafka.security.protocol",
                        "SASL_SSL"));
        sources.put("environment", EngineConfig.fromEnvironment(Map.of("SEQCAST_BOOTSTRAP_SERVERS", "b:9092")));
        EngineConfig c = EngineConfig.from(sources);
        assertEquals("b:9092", c.bootstrapServers());
        assertEquals("SASL_SSL", c.streamsProperties().get("security.protocol"));
        assertEquals(2, c.streamsProperties().get("num.stream.threads"));
        assertEquals("exactly_once_v2", c.streamsProperties().get("processing.guarantee"));
    }

    @Test
    void shouldPollNoLongerThanACommitIntervalUnlessTold() {
        var streams = EngineConfig.from(Map.of("f", Map.of("bootstrap.servers", "a:9092")))
                .streamsProperties();
        assertEquals(100L, streams.get("commit.interval.ms"));
        assertEquals(100L, streams.get("poll.ms"));
        streams = EngineConfig.from(Map.of("f", Map.of("bootstrap.servers", "a:9092", "commit.interval.ms", "20")))
                .streamsProperties();
        assertEquals(20L, streams.get("poll.ms"));
        streams = EngineConfig.from(Map.of("f", Map.of("bootstrap.servers", "a:9092", "commit.interval.ms", "1000")))
                .streamsProperties();
        assertEquals(100L, streams.get("poll.ms"));
        streams = EngineConfig.from(Map.of(
                        "f", Map.of("bootstrap.servers", "a:9092", "commit.interval.ms", "20", "kafka.poll.ms", "50")))
                .streamsProperties();
        assertEquals("50", streams.get("poll.ms"));
    }

    @Test
    void shouldNameEveryBadKeyAndWhereItCameFrom() {
        Map<String, Map<String, String>> sources = new LinkedHashMap<>();
        sources.put("seqcast.properties", Map.of("processing.guarantee", "exactly_once", "http.prot", "1"));
        var e = assertThrows(InvalidConfigurationException.class, () -> EngineConfig.from(sources));
        String m = e.getMessage();
        assertTrue(m.contains("seqcast.properties: processing.guarantee: invalid value 'exactly_once'"), m);
        assertTrue(m.contains("http.prot: unknown key. Fix: did you mean 'http.port'?"), m);
        assertTrue(m.contains("configuration: bootstrap.servers: is required and not set."), m);
    }
}
