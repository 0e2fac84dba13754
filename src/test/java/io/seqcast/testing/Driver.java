package io.seqcast.testing;

import io.seqcast.config.PipelineConfig;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.EventJson;
import io.seqcast.event.Forecast;
import io.seqcast.forecast.ModelRoutes;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import io.seqcast.topology.TopologyFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A {@link TopologyTestDriver} over one pipeline, with typed access to its topics. */
public final class Driver implements AutoCloseable {

    public final TopologyTestDriver driver;
    public final TestInputTopic<byte[], byte[]> input;
    public final TestOutputTopic<String, byte[]> forecasts;
    public final TestOutputTopic<String, byte[]> alerts;
    public final TestOutputTopic<byte[], byte[]> deadLetter;
    public final EngineMetrics metrics = EngineMetrics.inMemory();

    public Driver(PipelineConfig p, SequenceModel model, Path stateDir) {
        this(p, model, ModelRoutes.NONE, stateDir);
    }

    /** A driver of {@code p} whose series are served by {@code routes}, and the others by {@code model}. */
    public Driver(PipelineConfig p, SequenceModel model, ModelRoutes routes, Path stateDir) {
        this(p, model, routes, stateDir, Map.of());
    }

    /** A driver of {@code p} with these Kafka Streams settings besides its own, such as {@code commit.interval.ms}. */
    public Driver(PipelineConfig p, SequenceModel model, Path stateDir, Map<String, ?> streamsSettings) {
        this(p, model, ModelRoutes.NONE, stateDir, streamsSettings);
    }

    private Driver(
            PipelineConfig p, SequenceModel model, ModelRoutes routes, Path stateDir, Map<String, ?> streamsSettings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(streamsSettings);
        driver = new TopologyTestDriver(
                TopologyFactory.serving(
                        List.of(p),
                        x -> () -> model,
                        x -> routes,
                        metrics,
                        io.seqcast.event.TimeWindow.DEFAULT,
                        io.seqcast.errors.DeadLetterLimits.defaults(),
                        java.util.function.UnaryOperator.identity()),
                props);
        input = driver.createInputTopic(p.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
        forecasts =
                driver.createOutputTopic(p.output().forecasts(), new StringDeserializer(), new ByteArrayDeserializer());
        alerts = driver.createOutputTopic(p.output().alerts(), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetter = driver.createOutputTopic(
                p.output().deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public void send(String series, long time, double... values) {
        input.pipeInput(series.getBytes(StandardCharsets.UTF_8), EventJson.encodeObservation(series, time, values));
    }

    public void sendRaw(String key, String value) {
        input.pipeInput(
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public List<Forecast> readForecasts() {
        return forecasts.readValuesToList().stream()
                .map(EventJson::decodeForecast)
                .toList();
    }

    public List<AnomalyAlert> readAlerts() {
        return alerts.readValuesToList().stream().map(EventJson::decodeAlert).toList();
    }

    public List<TestRecord<byte[], byte[]>> readDeadLetters() {
        return deadLetter.readRecordsToList();
    }

    public static String header(Headers headers, String name) {
        return io.seqcast.errors.DeadLetters.header(headers, name);
    }

    @Override
    public void close() {
        driver.close();
    }
}
