package io.seqcast.app;

import io.seqcast.metrics.EngineMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies: replace it (its tasks are closed, their open transaction aborted, and the new
 * thread processes again from the last commit), unless {@link #MAX_REPLACEMENTS} threads already died within
 * {@link #WINDOW}; then shut this instance down, so that another instance or the orchestrator takes over. A passing
 * fault (a transaction the cluster aborted, a dead letter refused before its limit was lowered) heals; a fault that
 * recurs on every try stops the instance instead of spinning.
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(ThreadFailures.class);

    private final EngineMetrics metrics;
    private final LongSupplier clock;
    private final Deque<Long> replaced = new ArrayDeque<>();

    ThreadFailures(EngineMetrics metrics, LongSupplier clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = clock.getAsLong();
        while (!replaced.isEmpty() && now - replaced.peekFirst() > WINDOW.toMillis()) {
            replaced.removeFirst();
        }
        if (permanent(exception)) {
            log.error(
                    "Stream thread failed on an input topic that does not exist; a new thread would fail alike, so"
                            + " this instance shuts down (create the topic, or fix the pipeline's input.topic)",
                    exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        if (replaced.size() >= MAX_REPLACEMENTS) {
            log.error(
                    "Stream thread failed, the {}th time within {}; shutting this instance down so that another"
                            + " can take over",
                    MAX_REPLACEMENTS + 1,
                    WINDOW,
                    exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replaced.addLast(now);
        metrics.streamThreadReplaced();
        log.error(
                "Stream thread failed; replacing it ({} of {} replacements within {}): its tasks are processed again"
                        + " from the last commit",
                replaced.size(),
                MAX_REPLACEMENTS,
                WINDOW,
                exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** A failure no replacement thread can get past: a source topic missing (deleted, or never created). */
    static boolean permanent(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof MissingSourceTopicException) {
                return true;
            }
        }
        return false;
    }
}
