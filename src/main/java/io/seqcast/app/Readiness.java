package io.seqcast.app;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Decides, from periodic {@link Probe probes}, whether this instance can make progress: the answer of
 * {@code /health/ready}, with the reason when it cannot, and whether a stalled stream should be restarted. Not ready
 * when Kafka Streams is not running, when the cluster has been unreachable for longer than the broker timeout, when no
 * input partition has been assigned for longer than the unassigned timeout, or when input waits and no record has
 * been processed for longer than the stall timeout. Called from one thread.
 */
final class Readiness {

    /**
     * What one probe saw.
     *
     * @param now wall clock, epoch ms
     * @param state Kafka Streams' state
     * @param brokerReachable the cluster answered a metadata request
     * @param partitionsAssigned at least one input partition is assigned to a stream thread of this instance
     * @param processed records processed by this instance so far (any increasing count)
     * @param inputWaiting the main consumers report records waiting in the assigned partitions
     */
    record Probe(
            long now,
            KafkaStreams.State state,
            boolean brokerReachable,
            boolean partitionsAssigned,
            long processed,
            boolean inputWaiting) {}

    /**
     * @param reason why the instance is not ready; null when it is
     * @param restart the stream stalled: restart Kafka Streams (once per stall timeout at most)
     */
    record Verdict(String reason, boolean restart) {
        boolean ready() {
            return reason == null;
        }
    }

    private final long brokerTimeoutMs;
    private final long unassignedTimeoutMs;
    private final long stallTimeoutMs;
    private final boolean restartStalled;
    private long lastContact;
    private long lastAssigned;
    private long lastProgress;
    private long lastProcessed = -1;

    Readiness(
            Duration brokerTimeout,
            Duration unassignedTimeout,
            Duration stallTimeout,
            boolean restartStalled,
            long start) {
        this.brokerTimeoutMs = brokerTimeout.toMillis();
        this.unassignedTimeoutMs = unassignedTimeout.toMillis();
        this.stallTimeoutMs = stallTimeout.toMillis();
        this.restartStalled = restartStalled;
        this.lastContact = start;
        this.lastAssigned = start;
        this.lastProgress = start;
    }

    Verdict assess(Probe p) {
        if (p.brokerReachable()) {
            lastContact = p.now();
        }
        boolean running = p.state() == KafkaStreams.State.RUNNING;
        if (p.partitionsAssigned() || !running) {
            lastAssigned = p.now();
        }
        if (p.processed() != lastProcessed || !p.inputWaiting() || !running) {
            lastProcessed = p.processed();
            lastProgress = p.now();
        }
        long unreachable = p.now() - lastContact;
        if (unreachable > brokerTimeoutMs) {
            // nothing to restart for: the stream waits for the cluster
            lastProgress = p.now();
            return new Verdict(
                    "Kafka cluster unreachable for " + seconds(unreachable) + "; Kafka Streams is " + p.state(), false);
        }
        if (!running) {
            return new Verdict("Kafka Streams is " + p.state(), false);
        }
        long unassigned = p.now() - lastAssigned;
        if (unassigned > unassignedTimeoutMs) {
            return new Verdict("no input partition assigned for " + seconds(unassigned), false);
        }
        long stalled = p.now() - lastProgress;
        if (stalled > stallTimeoutMs) {
            boolean restart = restartStalled;
            if (restart) {
                lastProgress = p.now(); // one restart per stall timeout at most
            }
            return new Verdict("stalled: input waits and no record was processed for " + seconds(stalled), restart);
        }
        return new Verdict(null, false);
    }

    private static String seconds(long ms) {
        return (ms / 1000) + " s";
    }
}
