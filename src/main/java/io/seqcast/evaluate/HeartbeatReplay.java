package io.seqcast.evaluate;

import io.seqcast.classify.AamiClass;
import io.seqcast.classify.BeatFeatures;
import io.seqcast.classify.BeatMatching;
import io.seqcast.classify.EcgRecord;
import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Classification;
import io.seqcast.event.EventJson;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.SequenceModel;
import io.seqcast.topology.Names;
import io.seqcast.topology.TopologyFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays an ECG record's raw samples through the real topology of an ECG pipeline (parse, beat detection and
 * classification with its changelogged state store, sinks) in a {@link TopologyTestDriver}: observations of the
 * pipeline's samples per observation (both leads interleaved), as a producer would send them, and the classification
 * events read back. Then each published beat is matched to the record's reference beats ({@link BeatMatching}, 150
 * ms). Left out of the comparison: the last {@value #TAIL_S} s of the record (a beat is published only once the next
 * beat or {@value BeatFeatures#MAX_WAIT_S} s of samples have come, and a record has no samples after its end), and
 * ventricular flutter episodes (as ANSI/AAMI EC57).
 */
public final class HeartbeatReplay {

    /** Record end left out of the comparison, seconds. */
    public static final double TAIL_S = BeatFeatures.MAX_WAIT_S + 0.5;
    /** Event time of a record's first sample (records carry no wall-clock time). */
    public static final long START = io.seqcast.classify.EcgFeed.START;

    private HeartbeatReplay() {}

    /** What the pipeline published for a record, and how it compares with the reference. */
    public record Replayed(String record, List<Classification> beats, BeatMatching.Counts counts) {}

    public static Replayed run(PipelineConfig pipeline, SequenceModel model, EcgRecord record) {
        if (pipeline.mode() != PipelineConfig.Mode.ECG) {
            throw new IllegalArgumentException("pipeline " + pipeline.name() + " is in mode "
                    + pipeline.mode().name().toLowerCase() + "; evaluate classify needs a pipeline in mode ecg");
        }
        double rate = pipeline.sampleRate();
        if (Math.abs(rate - record.rate()) > 0.01 * rate) {
            throw new IllegalArgumentException("record " + record.name() + " is sampled at " + record.rate()
                    + " Hz but pipeline " + pipeline.name() + " reads " + rate + " Hz (input.features / 2 per"
                    + " sampling.interval); use a pipeline made for the record's rate");
        }
        int chunk = pipeline.input().fields().features() / 2;
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("seqcast-evaluate-ecg-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary state directory", e);
        }
        Properties props = ReplayDriver.properties("seqcast-evaluate-ecg", stateDir);
        List<Classification> out = new ArrayList<>();
        String series = record.name();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                TopologyFactory.build(List.of(pipeline), p -> model, EngineMetrics.inMemory()), props)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(
                    pipeline.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> classifications = driver.createOutputTopic(
                    pipeline.output().classifications(), new StringDeserializer(), new ByteArrayDeserializer());
            // the test driver keeps every record written to the state's changelog: drained as it goes, to bound memory
            // (not before the first observation: the driver knows the topic only once something is written to it)
            TestOutputTopic<byte[], byte[]> changelog = driver.createOutputTopic(
                    "seqcast-evaluate-ecg-" + new Names(pipeline.name()).ecgStore() + "-changelog",
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            byte[] key = series.getBytes(StandardCharsets.UTF_8);
            for (int from = 0; from + chunk <= record.size(); from += chunk) {
                if (from > 0 && from % (1000 * chunk) == 0) {
                    changelog.readRecordsToList();
                }
                long time = START + Math.round(from * 1000.0 / rate);
                input.pipeInput(key, EventJson.encodeObservation(series, time, record.interleaved(from, from + chunk)));
                while (!classifications.isEmpty()) {
                    out.add(EventJson.decodeClassification(classifications.readValue()));
                }
            }
        } finally {
            deleteQuietly(stateDir);
        }
        List<BeatMatching.Detection> detections = new ArrayList<>();
        for (Classification c : out) {
            long sample = Math.round((c.time() - START) * rate / 1000.0);
            detections.add(new BeatMatching.Detection(sample, AamiClass.NAMES.indexOf(c.label())));
        }
        long end = record.size() - Math.round(TAIL_S * rate);
        BeatMatching.Counts counts = BeatMatching.match(
                record.beats(), detections, Math.round(BeatMatching.WINDOW_S * rate), 0, end, record.flutter());
        return new Replayed(record.name(), out, counts);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
