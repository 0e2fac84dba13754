package io.seqcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.classify.BeatFeed;
import io.seqcast.classify.Heartbeats;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.errors.DeadLetters;
import io.seqcast.event.Classification;
import io.seqcast.event.EventJson;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.replay.CsvSeries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classify pipeline (mode classify: each observation one beat window) with the earlier GRU classifier publishes a class and
 * its probability for every beat; on the held-out end of MIT-BIH record 208 the classes match the cardiologists'
 * annotations.
 */
class ClassifyPipelineTest {

    @TempDir
    Path dir;

    @Test
    void shouldPublishAClassAndItsProbabilityForEveryBeat() throws Exception {
        PipelineConfig p = PipelineFiles.load(Path.of("src/test/resources/classify/beats-classify.yaml"))
                .get(0);
        var models = ModelCatalog.load(List.of(p));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "classify-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        Path signal = Path.of("data/ecg/mitdb_208_signal.csv.gz");
        Path annotations = Path.of("data/ecg/mitdb_208_annotations.csv");
        CsvSeries beats = BeatFeed.read(signal, annotations);
        List<Heartbeats.Beat> truth = Heartbeats.read("mitdb_208", signal, annotations, BeatFeed.SCALE_FRACTION);
        int from = (int) (beats.size() * 0.7); // the held-out part of the record
        try (var driver =
                new TopologyTestDriver(TopologyFactory.build(List.of(p), models, EngineMetrics.inMemory()), props)) {
            var in = driver.createInputTopic(p.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
            var out = driver.createOutputTopic(
                    p.output().classifications(), new StringDeserializer(), new ByteArrayDeserializer());
            var dead = driver.createOutputTopic(
                    p.output().deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            byte[] key = beats.name().getBytes(StandardCharsets.UTF_8);
            for (int i = from; i < beats.size(); i++) {
                in.pipeInput(key, EventJson.encodeObservation(beats.name(), beats.times()[i], beats.values()[i]));
            }
            in.pipeInput(key, EventJson.encodeObservation(beats.name(), 1L, 1.0, 2.0));

            List<Classification> got = out.readValuesToList().stream()
                    .map(EventJson::decodeClassification)
                    .toList();
            assertEquals(beats.size() - from, got.size(), "one classification per beat");
            int correct = 0;
            int abnormal = 0;
            int abnormalFound = 0;
            for (int i = 0; i < got.size(); i++) {
                Classification c = got.get(i);
                double sum = c.probabilities().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum();
                assertEquals(1.0, sum, 1e-4, "probabilities of beat " + i);
                assertTrue(c.probability() >= 0.5 && c.probability() <= 1.0, c.toString());
                assertEquals(beats.times()[from + i], c.time());
                boolean isAbnormal = truth.get(from + i).label() == 1;
                boolean saidAbnormal = c.label().equals(Heartbeats.ABNORMAL);
                correct += isAbnormal == saidAbnormal ? 1 : 0;
                abnormal += isAbnormal ? 1 : 0;
                abnormalFound += isAbnormal && saidAbnormal ? 1 : 0;
            }
            double accuracy = (double) correct / got.size();
            double recall = (double) abnormalFound / abnormal;
            assertTrue(accuracy >= 0.9, "accuracy " + accuracy + " on " + got.size() + " held-out beats");
            assertTrue(recall >= 0.85, "abnormal recall " + recall + " on " + abnormal + " abnormal beats");
            var refused = dead.readRecordsToList();
            assertEquals(1, refused.size());
            assertEquals(
                    "wrong-vector-length", DeadLetters.header(refused.get(0).headers(), DeadLetters.REASON));
        }
    }
}
