package io.seqcast.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Binds the meters the engine does not make itself: the JVM and process, Kafka Streams with its embedded clients
 * ({@code kafka_stream_*}, {@code kafka_consumer_*}, {@code kafka_producer_*}), other Kafka clients of the engine,
 * and the Kafka Streams state as {@code seqcast_engine_state{state}} (1 for the current state) and
 * {@code seqcast_engine_running}.
 */
public final class EngineBinders {

    private EngineBinders() {}

    public static void bindJvm(MeterRegistry registry) {
        new JvmInfoMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Kafka Streams' own metrics (with its clients') and its state; close the result with the streams. */
    public static AutoCloseable bindStreams(MeterRegistry registry, KafkaStreams streams) {
        bindState(registry, () -> streams);
        return bindClients(registry, streams);
    }

    /** Kafka Streams' own metrics with its clients'; close the result with the streams. */
    public static AutoCloseable bindClients(MeterRegistry registry, KafkaStreams streams) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
        binder.bindTo(registry);
        return binder;
    }

    /** The state of the Kafka Streams instance {@code current} returns (it may be replaced by a restart). */
    public static void bindState(MeterRegistry registry, Supplier<KafkaStreams> current) {
        for (KafkaStreams.State s : KafkaStreams.State.values()) {
            Gauge.builder("seqcast.engine.state", current, k -> k.get().state() == s ? 1 : 0)
                    .description("1 for the current Kafka Streams state of this instance")
                    .tag("state", s.name().toLowerCase(Locale.ROOT))
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("seqcast.engine.running", current, k -> k.get().state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while Kafka Streams is running (processing), 0 otherwise")
                .strongReference(true)
                .register(registry);
    }

    /** Metrics of another Kafka consumer of the engine (the live page's); close the result with the consumer. */
    public static AutoCloseable bindConsumer(MeterRegistry registry, Consumer<?, ?> consumer) {
        KafkaClientMetrics binder = new KafkaClientMetrics(consumer);
        binder.bindTo(registry);
        return binder;
    }
}
