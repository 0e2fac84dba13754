package io.seqcast.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.app.Engine;
import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.EventJson;
import io.seqcast.event.Forecast;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: instances of one application share the input partitions; instances join and leave while observations
 * flow (one to two to three, then back to two), with a standby replica of every store; the outputs equal the
 * single-instance reference exactly.
 */
@Timeout(300)
class ScaleOutTest {

    @TempDir
    Path dir;

    @Test
    void shouldPublishTheSingleInstanceOutputsWhileInstancesJoinAndLeave() throws Exception {
        Scenario scenario = new Scenario("scale-" + UUID.randomUUID().toString().substring(0, 8), 12, 240);
        PipelineConfig p = scenario.pipeline();
        Scenario.Outputs expected = scenario.reference(dir.resolve("reference"));
        String app = "scale-" + UUID.randomUUID();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopics(
                    TopicSpec.of(p.input().topic(), 6),
                    TopicSpec.of(p.output().forecasts(), 1),
                    TopicSpec.of(p.output().alerts(), 1),
                    TopicSpec.of(p.output().deadLetter(), 1));
            List<Engine> running = new ArrayList<>();
            try {
                running.add(Instances.start(bootstrap, app, dir.resolve("a"), p, 1, Scenario::model));
                Instances.awaitAllRunning(running, Duration.ofSeconds(60));
                int quarter = scenario.length() / 4;
                Instances.produce(bootstrap, scenario, 0, quarter, 10);
                running.add(Instances.start(bootstrap, app, dir.resolve("b"), p, 1, Scenario::model));
                Instances.produce(bootstrap, scenario, quarter, 2 * quarter, 10);
                long two = Instances.awaitAllRunning(running, Duration.ofSeconds(60));
                running.add(Instances.start(bootstrap, app, dir.resolve("c"), p, 1, Scenario::model));
                Instances.produce(bootstrap, scenario, 2 * quarter, 3 * quarter, 10);
                long three = Instances.awaitAllRunning(running, Duration.ofSeconds(60));
                Engine leaving = running.remove(0);
                long closing = System.nanoTime();
                leaving.close();
                Instances.produce(bootstrap, scenario, 3 * quarter, scenario.length(), 10);
                long failover = Instances.awaitAllRunning(running, Duration.ofSeconds(60))
                        + (System.nanoTime() - closing) / 1_000_000;
                var forecasts = Topics.readCommitted(
                        bootstrap, p.output().forecasts(), expected.forecastCount(), Duration.ofMinutes(2));
                var alerts = Topics.readCommitted(
                        bootstrap, p.output().alerts(), expected.alertCount(), Duration.ofSeconds(20));
                System.out.printf(
                        "scale-out: 1->2 instances running after %d ms, 2->3 after %d ms, 3->2 (clean"
                                + " leave, 1 standby) after %d ms; %d forecasts, %d alerts (reference %d, %d)%n",
                        two,
                        three,
                        failover,
                        forecasts.size(),
                        alerts.size(),
                        expected.forecastCount(),
                        expected.alertCount());
                assertEquals(expected.forecastCount(), forecasts.size(), "no gap, no duplicate");
                assertEquals(
                        expected.forecasts(),
                        Scenario.bySeries(
                                forecasts.stream()
                                        .map(r -> EventJson.decodeForecast(r.value()))
                                        .toList(),
                                Forecast::series),
                        "forecasts equal the single-instance run's");
                assertEquals(
                        expected.alerts(),
                        Scenario.bySeries(
                                alerts.stream()
                                        .map(r -> EventJson.decodeAlert(r.value()))
                                        .toList(),
                                AnomalyAlert::series),
                        "alerts equal the single-instance run's");
            } finally {
                running.forEach(Engine::close);
            }
        }
    }
}
