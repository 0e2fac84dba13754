package io.seqcast.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same engine suite on a Testcontainers Kafka broker. Each test is skipped, with the reason, where Docker is not
 * available; {@link EmbeddedKafkaEngineTest} runs the suite there.
 */
class ContainerKafkaEngineTest extends EngineSuite {

    static KafkaBackend backend;

    @BeforeEach
    void requireDocker() {
        var reason = KafkaBackends.dockerUnavailableReason();
        Assumptions.assumeTrue(
                reason.isEmpty(),
                () -> "Docker not available (" + reason.orElse("")
                        + "); the same suite ran against the embedded broker in EmbeddedKafkaEngineTest");
        if (backend == null) {
            backend = ContainerKafkaBackend.start();
        }
    }

    @AfterAll
    static void stopContainer() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @Override
    KafkaBackend backend() {
        return backend;
    }
}
