package io.seqcast.demo;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.EventJson;
import io.seqcast.event.Forecast;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.replay.EventView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's terminal view: reads the forecast and alert topics as any downstream consumer would (read_committed),
 * prints each alert as it arrives and a table of the latest forecast per series every few seconds.
 */
public final class LiveView implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<String> alertTopics;
    private final Set<String> classificationTopics;
    /** Classifications per series and class. */
    private final Map<String, Map<String, Long>> classified = new TreeMap<>();

    private final PrintWriter out;
    private final long intervalMs;
    private final Map<String, Forecast> latest = new TreeMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread;
    private long forecasts;
    private long alerts;
    private final Set<String> open = new LinkedHashSet<>();

    private LiveView(Properties client, List<PipelineConfig> pipelines, PrintWriter out, int intervalSeconds) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "seqcast-demo-view");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Set<String> topics = new LinkedHashSet<>();
        this.alertTopics = new LinkedHashSet<>();
        this.classificationTopics = new LinkedHashSet<>();
        for (PipelineConfig pc : pipelines) {
            if (pc.classifies()) {
                topics.add(pc.output().classifications());
                classificationTopics.add(pc.output().classifications());
                continue;
            }
            topics.add(pc.output().forecasts());
            topics.add(pc.output().alerts());
            alertTopics.add(pc.output().alerts());
        }
        consumer.subscribe(topics);
        this.out = out;
        this.intervalMs = intervalSeconds * 1000L;
        this.thread = new Thread(this::loop, "seqcast-demo-view");
        this.thread.setDaemon(true);
    }

    public static LiveView start(Properties client, List<PipelineConfig> pipelines, PrintWriter out, int seconds) {
        LiveView view = new LiveView(client, pipelines, out, seconds);
        view.thread.start();
        return view;
    }

    private void loop() {
        long nextTable = System.currentTimeMillis() + intervalMs;
        try {
            while (!stopped.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    if (classificationTopics.contains(r.topic())) {
                        var c = EventJson.decodeClassification(r.value());
                        classified
                                .computeIfAbsent(c.series(), k -> new TreeMap<>())
                                .merge(c.label(), 1L, Long::sum);
                    } else if (alertTopics.contains(r.topic())) {
                        AnomalyAlert a = EventJson.decodeAlert(r.value());
                        alerts++;
                        if (a.lifecycle() == AnomalyAlert.Lifecycle.RESOLVED) {
                            open.remove(a.series());
                        } else {
                            open.add(a.series());
                        }
                        out.println(EventView.alert(a));
                    } else {
                        Forecast f = EventJson.decodeForecast(r.value());
                        forecasts++;
                        latest.put(f.series(), f);
                    }
                }
                if (System.currentTimeMillis() >= nextTable) {
                    printTable();
                    nextTable = System.currentTimeMillis() + intervalMs;
                }
                out.flush();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            out.println("seqcast demo: live view stopped: " + e.getMessage() + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void printTable() {
        if (latest.isEmpty()) {
            return;
        }
        out.printf(
                Locale.ROOT,
                "%n--- %d forecasts, %d alert events, open alerts: %s%n",
                forecasts,
                alerts,
                open.isEmpty() ? "none" : String.join(", ", open));
        out.printf(
                Locale.ROOT,
                "%-40s %-16s %-10s %-30s %-7s %s%n",
                "series",
                "time",
                "observed",
                "next forecast [interval]",
                "score",
                "model");
        for (Forecast f : new ArrayList<>(latest.values())) {
            String next =
                    f.steps().isEmpty() ? "-" : EventView.interval(f.steps().get(0));
            out.printf(
                    Locale.ROOT,
                    "%-40s %-16s %-10s %-30s %-7.4f %s %s%s%n",
                    f.series(),
                    EventView.time(f.time()),
                    EventView.number(f.observed()),
                    next,
                    f.anomalyScore(),
                    f.model().name(),
                    f.model().version(),
                    f.warmingUp() ? " (warming up)" : "");
        }
        classified.forEach((series, counts) -> out.printf(Locale.ROOT, "%-40s beats classified: %s%n", series, counts));
    }

    /** Totals at the end of the demo, from the engine's own meters. */
    public void printSummary(EngineMetrics metrics) {
        out.printf(
                Locale.ROOT,
                "seqcast demo: %.0f observations in, %.0f forecasts and %.0f alert events out,"
                        + " %.0f dead-lettered.%n",
                metrics.registry().find("seqcast.observations.received").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum(),
                metrics.registry().find("seqcast.forecasts").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum(),
                metrics.registry().find("seqcast.alerts").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum(),
                metrics.registry().find("seqcast.dead.letter").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum());
        out.flush();
    }

    @Override
    public void close() throws InterruptedException {
        stopped.set(true);
        consumer.wakeup();
        thread.join(10_000);
    }
}
