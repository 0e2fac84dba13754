package io.seqcast.cli;

import static io.seqcast.cli.SeqcastCommandTest.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.cli.SeqcastCommandTest.Result;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelMetadata;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqcast train --task heartbeats --records DIR}: on a directory holding the first three minutes of the bundled
 * DS1 record 208 (data/ecg), it writes a many-to-one beat classifier whose artifact names the AAMI classes. A tiny
 * network, one epoch.
 */
class TrainHeartbeatsCommandTest {

    static final int SAMPLES = 3 * 60 * 360;

    @TempDir
    Path dir;

    /** {@code seqcast train --task heartbeats OPTIONS --name beats --out OUT}. */
    private static Result heartbeats(Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--task", "heartbeats"));
        args.addAll(List.of(options));
        args.addAll(List.of("--name", "beats", "--out", out.toString()));
        return SeqcastCommandTest.run(args.toArray(String[]::new));
    }

    @Test
    void shouldTrainABeatClassifierFromADirectoryOfRecords() throws IOException {
        Path records = Files.createDirectories(dir.resolve("records"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(Path.of("data/ecg/mitdb_208_signal.csv.gz"))),
                        StandardCharsets.UTF_8));
                Writer out = new OutputStreamWriter(
                        new GZIPOutputStream(Files.newOutputStream(records.resolve("mitdb_208_signal.csv.gz"))),
                        StandardCharsets.UTF_8)) {
            String line;
            for (int i = 0; i <= SAMPLES && (line = in.readLine()) != null; i++) {
                out.write(line + "\n");
            }
        }
        StringBuilder annotations = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("data/ecg/mitdb_208_annotations.csv"))) {
            if (annotations.isEmpty() || Long.parseLong(line.substring(0, line.indexOf(','))) < SAMPLES) {
                annotations.append(line).append('\n');
            }
        }
        Files.writeString(records.resolve("mitdb_208_annotations.csv"), annotations.toString());
        Path model = dir.resolve("beats.seqcast");
        Result r = succeeded(heartbeats(
                model, "--records", records.toString(), "--epochs", "1", "--layers", "4", "--max-per-class", "20"));
        assertTrue(r.out().contains("DS1"), r.out());
        ModelMetadata m = ModelArtifact.read(model).metadata();
        assertEquals(ModelMetadata.CLASSIFY, m.task());
        assertEquals("many-to-one", m.shape());
        assertEquals(io.seqcast.classify.AamiClass.NAMES, m.classes());

        // the model twice as an ensemble: one network of twice the units, the same class scores as the model shifted
        Path shifted = dir.resolve("shifted.seqcast");
        Path ensemble = dir.resolve("ensemble.seqcast");
        succeeded(heartbeats(shifted, "--shift", model.toString(), "--class-offsets", "0,-1,0.5,0,-2"));
        succeeded(heartbeats(
                ensemble, "--shift", model + "," + model, "--class-offsets", "0,-1,0.5,0,-2", "--model-version", "9"));
        ModelArtifact single = ModelArtifact.read(shifted);
        ModelArtifact pair = ModelArtifact.read(ensemble);
        assertEquals(List.of(8), pair.metadata().hiddenSizes());
        assertEquals("9", pair.metadata().version());
        assertEquals(2.0, pair.metadata().validationMetrics().get("ensemble_members"));
        assertEquals(-1.0, pair.metadata().validationMetrics().get("class_offset_S"));
        float[][] input = new float[io.seqcast.classify.BeatFeatures.STEPS][io.seqcast.classify.BeatFeatures.CHANNELS];
        for (int t = 0; t < input.length; t++) {
            for (int c = 0; c < input[t].length; c++) {
                input[t][c] = (float) Math.sin(0.3 * t + c);
            }
        }
        float[] expected = new io.seqcast.model.ShapedModel(
                        single.network(), io.seqcast.model.SequenceShape.MANY_TO_ONE)
                .predict(input)[0];
        float[] got = new io.seqcast.model.ShapedModel(pair.network(), io.seqcast.model.SequenceShape.MANY_TO_ONE)
                .predict(input)[0];
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], got[c], 1e-5, "class " + c);
        }

        // the per-beat channels of every beat found, for the linear head's fit
        Path beats = dir.resolve("beats.csv");
        succeeded(heartbeats(
                dir.resolve("unused.seqcast"), "--records", records.toString(), "--export-beats", beats.toString()));
        List<String> lines = Files.readAllLines(beats);
        List<String> perBeat = io.seqcast.classify.BeatFeatures.CHANNEL_NAMES.subList(
                io.seqcast.classify.BeatFeatures.PER_BEAT, io.seqcast.classify.BeatFeatures.CHANNELS);
        assertEquals("record,sample,label," + String.join(",", perBeat), lines.get(0));
        assertTrue(lines.size() > 150, "beats in three minutes of 208: " + (lines.size() - 1));
        assertTrue(lines.get(1).startsWith("mitdb_208,"), lines.get(1));
        assertEquals(3 + perBeat.size(), lines.get(1).split(",").length);

        // with a noise-stressed copy of the record: its beats are found and used, and the model says so
        Path augmented = dir.resolve("augmented.seqcast");
        Result noisy = succeeded(heartbeats(
                augmented,
                "--records",
                records.toString(),
                "--epochs",
                "1",
                "--layers",
                "4",
                "--max-per-class",
                "20",
                "--augment-noise",
                "1",
                "--augment-snr",
                "6,18"));
        assertTrue(
                noisy.out().matches("(?s).*mitdb_208/noise1 +[1-9]\\d* beats found in its noisy stretches.*"),
                noisy.out());
        String training = String.valueOf(
                ModelArtifact.read(augmented).metadata().normalisation().get("training"));
        assertTrue(training.contains("1 noise-stressed copies") && training.contains("6.0 to 18.0 dB"), training);
        assertTrue(heartbeats(augmented, "--records", records.toString(), "--augment-noise", "1", "--augment-snr", "6")
                        .exit()
                != 0);

        // a linear head on the shifted model: a new model (format 3), its offsets added to those it had
        Path head = dir.resolve("head.json");
        Files.writeString(
                head,
                "{\"inputs\": [\"rr-irregularity\"], \"weights\": [[0], [1.5], [0], [0], [0]],"
                        + " \"bias\": [0, -0.5, 0, 0, 0]}");
        Path headed = dir.resolve("headed.seqcast");
        succeeded(heartbeats(
                headed,
                "--shift",
                shifted.toString(),
                "--class-offsets",
                "0,1,0,0,0",
                "--head",
                head.toString(),
                "--model-version",
                "10"));
        ModelMetadata h = ModelArtifact.read(headed).metadata();
        assertEquals(ModelArtifact.HEAD_FORMAT_VERSION, h.formatVersion());
        assertEquals("10", h.version());
        assertEquals(List.of("rr-irregularity"), h.head().inputs());
        assertEquals(List.of(1.5), h.head().weights().get(1));
        assertEquals(0.0, h.validationMetrics().get("class_offset_S"), 1e-12);
        assertEquals(0.5, h.validationMetrics().get("class_offset_V"), 1e-12);

        // a member whose input channels are not the first of the others' is refused
        Result other = heartbeats(
                dir.resolve("refused.seqcast"),
                "--shift",
                model + ",src/test/resources/classify/ecg-gru.zip",
                "--class-offsets",
                "0,0,0,0,0");
        assertTrue(other.exit() != 0, other.out());
        assertTrue((other.out() + other.err()).contains("not the first of"), other.out() + other.err());
    }
}
