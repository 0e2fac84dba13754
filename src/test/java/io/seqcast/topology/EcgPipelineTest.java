package io.seqcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.classify.AamiClass;
import io.seqcast.classify.BeatMatching;
import io.seqcast.classify.EcgFeed;
import io.seqcast.classify.EcgRecord;
import io.seqcast.classify.EcgState;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.errors.DeadLetters;
import io.seqcast.evaluate.HeartbeatReplay;
import io.seqcast.event.Classification;
import io.seqcast.event.EventJson;
import io.seqcast.metrics.EngineMetrics;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.training.HeartbeatTraining;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled heartbeats pipeline (topology/heartbeats.yaml, mode ecg) with the bundled beat classifier, end to end
 * on the first minute of MIT-BIH record 208 (raw samples in): it finds the annotated beats, classifies them, keeps
 * each series' detector state in its store and dead-letters observations that go back in time.
 */
class EcgPipelineTest {

    static final double SECONDS = 60;

    @TempDir
    Path dir;

    static EcgRecord firstMinute(EcgRecord r) {
        int n = (int) (SECONDS * r.rate());
        return new EcgRecord(
                r.name(),
                r.rate(),
                Arrays.copyOf(r.lead1(), n),
                Arrays.copyOf(r.lead2(), n),
                r.beats().stream().filter(b -> b.sample() < n).toList(),
                r.flutter());
    }

    /** Record 208's first minute (both tests below read it) and the heartbeats pipeline's replay of it. */
    private static EcgRecord record208;

    private static HeartbeatReplay.Replayed replayed208;

    @BeforeAll
    static void replayTheFirstMinuteOf208() throws Exception {
        PipelineConfig p =
                PipelineFiles.load(Path.of("topology/heartbeats.yaml")).get(0);
        SequenceModel model = ModelCatalog.load(List.of(p)).apply(p);
        record208 = firstMinute(EcgRecord.read(Path.of("data/ecg/mitdb_208_signal.csv.gz")));
        replayed208 = HeartbeatReplay.run(p, model, record208);
    }

    @Test
    void shouldFindAndClassifyTheBeatsOfARecordFromItsRawSamples() {
        HeartbeatReplay.Replayed r = replayed208;

        BeatMatching.Counts c = r.counts();
        assertTrue(c.reference() > 60, "reference beats compared: " + c.reference());
        assertTrue(c.sensitivity() >= 0.99 && c.ppv() >= 0.99, "detection Se " + c.sensitivity() + ", +P " + c.ppv());
        long[][] m = c.confusion();
        long v = Arrays.stream(m[AamiClass.V.ordinal()]).sum();
        assertTrue(v > 10, "ventricular beats in the first minute: " + v);
        for (Classification beat : r.beats()) {
            assertTrue(AamiClass.NAMES.contains(beat.label()), beat.label());
            assertEquals(
                    1.0,
                    beat.probabilities().values().stream().mapToDouble(d -> d).sum(),
                    1e-4);
            assertEquals(beat.probabilities().get(beat.label()), beat.probability(), 1e-6);
            assertNotNull(beat.beat());
            assertTrue(
                    beat.beat().rrBefore() > 0.2 && beat.beat().rrAfter() > 0.2,
                    beat.beat().toString());
            assertEquals(1 - beat.probabilities().get("N"), beat.beat().abnormal(), 1e-6);
        }
    }

    @Test
    void shouldClassifyEachBeatFromTheInputsTrainingMadeOfIt() throws Exception {
        // training cuts its beats with BeatStream sample by sample (HeartbeatTraining); the pipeline gets chunks of
        // samples and keeps the series' state in its store: the same beats, and the same class probabilities
        EcgRecord record = record208;
        HeartbeatReplay.Replayed served = replayed208;
        HeartbeatTraining.RecordBeats trained = HeartbeatTraining.beats(record);
        float[][] expected =
                HeartbeatTraining.probabilities(ModelArtifact.read(Path.of("models/ecg-beats.zip")), trained);
        java.util.Map<Long, Integer> bySample = new java.util.HashMap<>();
        for (int k = 0; k < trained.beats().size(); k++) {
            bySample.put(trained.beats().get(k).sample(), k);
        }
        int compared = 0;
        for (Classification beat : served.beats()) {
            long sample = Math.round((beat.time() - HeartbeatReplay.START) * record.rate() / 1000.0);
            Integer k = bySample.get(sample);
            if (k == null) {
                assertTrue(sample > record.size() - HeartbeatReplay.TAIL_S * record.rate(), "beat at " + sample);
                continue; // the last beat: published by the pipeline when it stops waiting for the next
            }
            for (int c = 0; c < AamiClass.NAMES.size(); c++) {
                assertEquals(
                        expected[k][c],
                        beat.probabilities().get(AamiClass.NAMES.get(c)),
                        1e-4,
                        "beat at " + sample + ", class " + AamiClass.NAMES.get(c));
            }
            compared++;
        }
        assertTrue(
                compared >= trained.beats().size() - 1,
                compared + " of " + trained.beats().size() + " compared");
    }

    @Test
    void shouldKeepTheDetectorStateAndRefuseObservationsThatGoBackInTime() throws Exception {
        PipelineConfig p =
                PipelineFiles.load(Path.of("topology/heartbeats.yaml")).get(0);
        var models = ModelCatalog.load(List.of(p));
        var feed = EcgFeed.read(
                Path.of("data/ecg/mitdb_100_signal.csv.gz"), p.input().fields().features() / 2, 10);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ecg-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        try (var driver =
                new TopologyTestDriver(TopologyFactory.build(List.of(p), models, EngineMetrics.inMemory()), props)) {
            var in = driver.createInputTopic(p.input().topic(), new ByteArraySerializer(), new ByteArraySerializer());
            var out = driver.createOutputTopic(
                    p.output().classifications(), new StringDeserializer(), new ByteArrayDeserializer());
            var dead = driver.createOutputTopic(
                    p.output().deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            byte[] key = feed.name().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < feed.size(); i++) {
                in.pipeInput(key, EventJson.encodeObservation(feed.name(), feed.times()[i], feed.values()[i]));
            }
            EcgState state = driver.<String, EcgState>getKeyValueStore(new Names(p.name()).ecgStore())
                    .get(feed.name());
            assertEquals(feed.size() * (long) (p.input().fields().features() / 2), state.samples());
            List<Classification> beats = out.readValuesToList().stream()
                    .map(EventJson::decodeClassification)
                    .toList();
            assertTrue(beats.size() >= 9, "beats in 10 s of record 100: " + beats.size());

            in.pipeInput(key, EventJson.encodeObservation(feed.name(), feed.times()[3], feed.values()[3]));
            in.pipeInput(
                    key,
                    EventJson.encodeObservation(
                            feed.name(), feed.times()[feed.size() - 1], feed.values()[feed.size() - 1]));
            var refused = dead.readRecordsToList();
            assertEquals(2, refused.size());
            assertEquals(
                    "late",
                    new String(
                            refused.get(0)
                                    .headers()
                                    .lastHeader(DeadLetters.REASON)
                                    .value(),
                            StandardCharsets.UTF_8));
            assertEquals(
                    "duplicate",
                    new String(
                            refused.get(1)
                                    .headers()
                                    .lastHeader(DeadLetters.REASON)
                                    .value(),
                            StandardCharsets.UTF_8));
            assertTrue(out.isEmpty());
        }
    }
}
