package io.seqcast.errors;

import io.seqcast.metrics.EngineMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' production exception handler for the engine: never answers FAIL for a record the cluster finds too
 * large, so that one input record can never stop the engine.
 *
 * <ul>
 *   <li>A dead-letter record too large: the limit of its topic is {@linkplain DeadLetterLimits#lower lowered} and a
 *       copy {@linkplain DeadLetters#fit cut} to the new limit is sent instead (RESUME). Under exactly-once the
 *       producer has by then marked the transaction for abort and no copy can be sent in it: Kafka Streams 4.4 then
 *       fails the commit ("Cannot execute transactional method because we are in an error state"), the engine
 *       replaces the stream thread ({@code ThreadFailures}), and the input is processed again; this time the
 *       processor cuts the dead letter to the lowered limit before sending it.
 *   <li>Any other output too large (not expected: forecasts, alerts and classifications are small and bounded): the
 *       record is dropped, logged and counted in {@code seqcast.output.dropped} (RESUME).
 *   <li>Every other error: Kafka Streams' default (RETRY when retriable, otherwise FAIL).
 * </ul>
 *
 * Configured from the Streams properties: {@link #DEAD_LETTER_TOPICS} (the dead-letter topic names),
 * {@link #LIMITS} (the engine's {@link DeadLetterLimits}) and {@link #METRICS} (its {@link EngineMetrics}).
 */
public final class DeadLetterProductionHandler extends DefaultProductionExceptionHandler {

    public static final String DEAD_LETTER_TOPICS = "seqcast.dead.letter.topics";
    public static final String LIMITS = "seqcast.dead.letter.limits";
    public static final String METRICS = "seqcast.metrics";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private Set<String> deadLetterTopics = Set.of();
    private DeadLetterLimits limits = DeadLetterLimits.defaults();
    private EngineMetrics metrics = EngineMetrics.inMemory();
    private boolean exactlyOnce;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        Object topics = configs.get(DEAD_LETTER_TOPICS);
        if (topics instanceof String s && !s.isBlank()) {
            deadLetterTopics = Set.of(s.split(","));
        } else if (topics instanceof List<?> list) {
            deadLetterTopics = Set.copyOf(list.stream().map(Object::toString).toList());
        }
        if (configs.get(LIMITS) instanceof DeadLetterLimits l) {
            limits = l;
        }
        if (configs.get(METRICS) instanceof EngineMetrics m) {
            metrics = m;
        }
        Object guarantee = configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        exactlyOnce = guarantee != null && guarantee.toString().startsWith("exactly_once");
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return super.handleError(context, record, exception);
        }
        long size = DeadLetters.sizeUpperBound(record.key(), record.value(), record.headers());
        if (deadLetterTopics.contains(record.topic())) {
            int limit = limits.lower(record.topic(), size);
            DeadLetters.DeadLetter fitted = DeadLetters.fit(record.key(), record.value(), record.headers(), limit);
            long fittedSize = DeadLetters.sizeUpperBound(fitted.key(), fitted.value(), fitted.headers());
            metrics.outputTooLarge(record.topic());
            if (exactlyOnce) {
                // the producer has marked the transaction for abort: a copy sent now fails too. Kafka Streams fails
                // the commit, the stream thread is replaced (ThreadFailures) and the record processed again, its
                // dead letter then cut to the lowered limit by the processor
                log.warn(
                        "Dead-letter record of {} bytes to {} (source {}-{}@{}) refused as too large ({}); limit"
                                + " lowered to {} bytes; the transaction aborts and the record is processed again",
                        size,
                        record.topic(),
                        context.topic(),
                        context.partition(),
                        context.offset(),
                        exception.getMessage(),
                        limit);
                return Response.resume();
            }
            if (fittedSize >= size) {
                log.error(
                        "Dropped a dead-letter record of {} bytes to {} (source {}-{}@{}): refused as too large"
                                + " ({}) and it cannot be cut further",
                        size,
                        record.topic(),
                        context.topic(),
                        context.partition(),
                        context.offset(),
                        exception.getMessage());
                return Response.resume();
            }
            log.warn(
                    "Dead-letter record of {} bytes to {} (source {}-{}@{}) refused as too large ({}); limit"
                            + " lowered to {} bytes, sending a copy cut to fit",
                    size,
                    record.topic(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception.getMessage(),
                    limit);
            return Response.resume(List.of(new ProducerRecord<>(
                    record.topic(),
                    record.partition(),
                    record.timestamp(),
                    fitted.key(),
                    fitted.value(),
                    fitted.headers())));
        }
        metrics.outputTooLarge(record.topic());
        log.error(
                "Dropped an output record of {} bytes to {} (source {}-{}@{}): refused as too large ({})",
                size,
                record.topic(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception.getMessage());
        return Response.resume();
    }
}
