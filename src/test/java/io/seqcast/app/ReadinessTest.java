package io.seqcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private final Readiness readiness =
            new Readiness(Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(120), true, 0);

    private Readiness.Verdict at(
            long seconds, State state, boolean broker, boolean assigned, long processed, boolean waiting) {
        return readiness.assess(new Readiness.Probe(seconds * 1000, state, broker, assigned, processed, waiting));
    }

    @Test
    void shouldBeReadyWhileRunningAndProgressing() {
        for (int t = 1; t < 300; t++) {
            assertNull(at(t, State.RUNNING, true, true, t, true).reason());
        }
    }

    @Test
    void shouldTurnNotReadyWhenTheClusterIsUnreachableForLongerThanTheTimeoutAndBackAfter() {
        assertNull(at(1, State.RUNNING, true, true, 1, false).reason());
        assertNull(at(10, State.RUNNING, false, true, 1, false).reason(), "within the broker timeout");
        Readiness.Verdict down = at(17, State.RUNNING, false, true, 1, true);
        assertEquals("Kafka cluster unreachable for 16 s; Kafka Streams is RUNNING", down.reason());
        assertFalse(down.restart(), "a stream waiting for the cluster is not restarted");
        assertFalse(at(500, State.RUNNING, false, true, 1, true).restart());
        assertNull(at(501, State.RUNNING, true, true, 2, false).reason());
    }

    @Test
    void shouldTurnNotReadyWithoutPartitionsForLongerThanTheTimeout() {
        assertNull(at(30, State.RUNNING, true, false, 0, false).reason());
        assertEquals(
                "no input partition assigned for 61 s",
                at(61, State.RUNNING, true, false, 0, false).reason());
        assertNull(at(62, State.RUNNING, true, true, 0, false).reason());
    }

    @Test
    void shouldReportAStallWhileInputWaitsAndRestartOncePerTimeout() {
        assertNull(at(1, State.RUNNING, true, true, 5, true).reason());
        assertNull(at(100, State.RUNNING, true, true, 5, true).reason());
        Readiness.Verdict stalled = at(122, State.RUNNING, true, true, 5, true);
        assertEquals("stalled: input waits and no record was processed for 121 s", stalled.reason());
        assertTrue(stalled.restart());
        assertFalse(at(123, State.RUNNING, true, true, 5, true).restart(), "one restart per stall timeout");
        assertEquals(
                "Kafka Streams is REBALANCING",
                at(124, State.REBALANCING, true, false, 5, true).reason());
        assertNull(at(130, State.RUNNING, true, true, 6, true).reason());
    }

    @Test
    void shouldNotCallAnIdleStreamStalled() {
        assertNull(at(1000, State.RUNNING, true, true, 5, false).reason());
    }
}
