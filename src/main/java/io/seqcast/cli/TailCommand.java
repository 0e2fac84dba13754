package io.seqcast.cli;

import io.seqcast.event.EventJson;
import io.seqcast.replay.EventView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seqcast tail}: follow a forecast or alert topic and print it readably. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = "Follow a forecast or alert topic and print each event on one line.")
final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--topic", required = true, description = "Forecast or alert topic.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest event rather than the newest.")
    boolean fromBeginning;

    @Option(names = "--series", description = "Only this series.")
    String series;

    @Option(names = "--max", description = "Stop after this many events (default: follow until Ctrl-C).")
    long max = Long.MAX_VALUE;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Properties p = kafka.properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "seqcast-tail-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        AtomicBoolean done = new AtomicBoolean();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                done.set(true);
                consumer.wakeup();
                try {
                    main.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            consumer.subscribe(List.of(topic));
            long seen = 0;
            try {
                while (!done.get() && seen < max) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        String line = render(r.value());
                        if (line != null) {
                            out.println(line);
                            seen++;
                        }
                    }
                    out.flush();
                }
            } catch (WakeupException e) {
                // shutting down
            }
            if (!done.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    private String render(byte[] value) {
        String text = new String(value, java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (text.contains("\"type\":\"anomaly-alert\"")) {
                var a = EventJson.decodeAlert(value);
                return series == null || series.equals(a.series()) ? EventView.alert(a) : null;
            }
            var f = EventJson.decodeForecast(value);
            return series == null || series.equals(f.series()) ? EventView.forecast(f) : null;
        } catch (RuntimeException e) {
            return "(not a seqcast event) " + text;
        }
    }
}
