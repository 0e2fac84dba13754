package io.seqcast.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The engine suite on the in-process KRaft broker: always runs. */
class EmbeddedKafkaEngineTest extends EngineSuite {

    static KafkaBackend backend;

    @BeforeAll
    static void startBroker() {
        backend = EmbeddedKafkaBackend.plaintext();
    }

    @AfterAll
    static void stopBroker() {
        backend.close();
    }

    @Override
    KafkaBackend backend() {
        return backend;
    }
}
