package io.seqcast.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class BenchBrokerTest {

    @Test
    void brokerApartShouldServeClientsFromItsOwnProcessAndStopWithIt() throws Exception {
        ProcessHandle child;
        try (BenchBroker broker = BenchBroker.start(true, 1, "-Xms128m -Xmx512m -XX:+UseSerialGC")) {
            child = broker.process().orElseThrow();
            assertNotEquals(ProcessHandle.current().pid(), child.pid());
            assertTrue(broker.describe().contains("-XX:+UseSerialGC"), broker.describe());
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("apart", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("apart"));
            }
        }
        assertFalse(child.isAlive(), "the broker's process outlived close()");
    }
}
