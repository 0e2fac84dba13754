package io.seqcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.metrics.EngineMetrics;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    @Test
    void shouldReplaceAFailedThreadUnlessThreadsKeepFailing() {
        AtomicLong now = new AtomicLong(0);
        EngineMetrics metrics = EngineMetrics.inMemory();
        ThreadFailures failures = new ThreadFailures(metrics, now::get);
        RuntimeException e = new IllegalStateException("boom");
        for (int i = 0; i < ThreadFailures.MAX_REPLACEMENTS; i++) {
            now.addAndGet(60_000);
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.handle(e));
        }
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.handle(e), "the 4th within 10 minutes");
        now.addAndGet(ThreadFailures.WINDOW.toMillis());
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.handle(e), "old failures are forgotten");
        assertEquals(4, metrics.count("seqcast.engine.thread.replaced"), 0.0);
    }
}
