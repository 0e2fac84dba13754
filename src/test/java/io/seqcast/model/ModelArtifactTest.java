package io.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import io.seqcast.training.OutputHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {

    @TempDir
    Path dir;

    private static ModelArtifact artifact() {
        MultiLayerNetwork net = KernelModelTest.randomNetwork(CellType.LSTM, List.of(6), 1, 3);
        ModelInfo info = KernelModel.fromNetwork(net, "load", "3").info();
        ModelMetadata metadata = ModelMetadata.of(
                info,
                List.of("load_mw"),
                4,
                0,
                Map.of("method", "zscore", "mean", 12.5, "std", 3.25),
                "sha256:abc",
                Map.of("mse", 0.125, "naive_mse", 0.5),
                Instant.parse("2025-01-31T12:00:00Z"));
        return ModelArtifact.of(net, metadata);
    }

    @Test
    void shouldRoundTripMetadataAndNetwork() throws IOException {
        ModelArtifact original = artifact();
        Path file = dir.resolve("load.model");
        original.write(file);

        ModelArtifact read = ModelArtifact.read(file);

        assertEquals(original.metadata(), read.metadata());
        assertEquals(64, read.metadata().contentHash().length());
        assertEquals(original.network().params(), read.network().params());
        float[][] xs = KernelModelTest.randomSequence(1, 20, 9);
        float[][] expected = KernelModelTest.runKernel(original.toSequenceModel(), xs);
        float[][] actual = KernelModelTest.runKernel(read.toSequenceModel(), xs);
        for (int t = 0; t < xs.length; t++) {
            assertArrayEquals(expected[t], actual[t], "step " + t);
        }
        assertEquals(
                new ModelInfo("load", "3", CellType.LSTM, List.of(6), 1, 4),
                read.toSequenceModel().info());
    }

    @Test
    void shouldRefuseAFileWhoseNetworkWasModified() throws IOException {
        Path file = dir.resolve("load.model");
        artifact().write(file);
        rewrite(file, ModelArtifact.NETWORK_ENTRY, bytes -> {
            byte[] copy = bytes.clone();
            copy[copy.length / 2] ^= 0x01;
            return copy;
        });

        ModelArtifactException e = assertThrows(ModelArtifactException.class, () -> ModelArtifact.read(file));

        assertTrue(e.getMessage().contains("content hash mismatch: file says "), e.getMessage());
        assertTrue(e.getMessage().contains("the file was modified or truncated"), e.getMessage());
    }

    @Test
    void shouldRefuseAFileWhoseMetadataWasModified() throws IOException {
        Path file = dir.resolve("load.model");
        artifact().write(file);
        rewrite(file, ModelArtifact.METADATA_ENTRY, bytes -> editJson(bytes, json -> json.put("horizon", 5)));

        ModelArtifactException e = assertThrows(ModelArtifactException.class, () -> ModelArtifact.read(file));

        assertTrue(e.getMessage().contains("content hash mismatch"), e.getMessage());
    }

    @Test
    void shouldRefuseATruncatedFile() throws IOException {
        Path file = dir.resolve("load.model");
        artifact().write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        ModelArtifactException e = assertThrows(ModelArtifactException.class, () -> ModelArtifact.read(file));

        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownFormatVersionNamingBothVersions() throws IOException {
        Path file = dir.resolve("load.model");
        artifact().write(file);
        rewrite(file, ModelArtifact.METADATA_ENTRY, bytes -> editJson(bytes, json -> json.put("formatVersion", 4)));

        ModelArtifactException e = assertThrows(ModelArtifactException.class, () -> ModelArtifact.read(file));

        assertTrue(
                e.getMessage().contains("has format version 4 but this seqcast reads format versions [1, 2, 3]"),
                e.getMessage());
    }

    /** Written by format version 1 (commit "Tests: golden model artifact written by format version 1"). */
    private static final String GOLDEN_V1 = "/io/seqcast/model/artifact-format-v1.zip";

    @Test
    void shouldStillLoadAnArtifactWrittenByFormatVersion1() throws Exception {
        byte[] bytes;
        try (InputStream in = ModelArtifactTest.class.getResourceAsStream(GOLDEN_V1)) {
            bytes = in.readAllBytes();
        }
        Path file = dir.resolve("v1.zip");
        Files.write(file, bytes);

        for (ModelArtifact read : List.of(ModelArtifact.read(file), ModelArtifact.read(bytes))) {
            ModelMetadata m = read.metadata();
            assertEquals(1, m.formatVersion());
            assertEquals("golden-v1", m.name());
            assertEquals(SequenceShape.MANY_TO_MANY, m.sequenceShape());
            assertEquals(ModelMetadata.FORECAST, m.task());
            assertEquals(List.of(), m.classes());
            assertEquals(1, m.outputSteps());
            assertEquals("ca4cb16a892bb98cb7aaf6591c2e3a77007de443b379ac5c67c34bda01793725", m.contentHash());
            // the outputs it gave when it was written, for the inputs 0.5, -1, 2
            String[] lines;
            try (InputStream in =
                    ModelArtifactTest.class.getResourceAsStream("/io/seqcast/model/artifact-format-v1.outputs")) {
                lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .trim()
                        .split("\n");
            }
            SequenceModel model = read.toSequenceModel();
            float[] state = new float[model.stateSize()];
            float[] xs = {0.5f, -1f, 2f};
            for (int t = 0; t < xs.length; t++) {
                float[] out = new float[4];
                model.step(1, new float[] {xs[t]}, state, out);
                String[] expected = lines[t].trim().split(" ");
                for (int k = 0; k < 4; k++) {
                    assertEquals(Float.parseFloat(expected[k]), out[k], 1e-6f, "step " + t + " output " + k);
                }
            }
        }
    }

    /** A classifier of three inputs into classes N and abnormal, one output a window of 40 steps. */
    private static NetworkSpec classifier(CellType cell) {
        return NetworkSpec.of(cell, List.of(5), 3, 2, 1)
                .withShape(SequenceShape.MANY_TO_ONE, OutputHead.CLASSIFICATION, 1);
    }

    /** The metadata of {@code net}, a {@link #classifier}: format version 2, no head. */
    private static ModelMetadata classifierMetadata(MultiLayerNetwork net, String version) {
        return ModelMetadata.of(
                        NetworkLayout.describe(net, "beats", version),
                        List.of("a", "b", "c"),
                        1,
                        40,
                        Map.of(),
                        "none",
                        Map.of(),
                        Instant.parse("2025-01-31T12:00:00Z"))
                .toBuilder()
                .shape(SequenceShape.MANY_TO_ONE)
                .task(ModelMetadata.CLASSIFY, List.of("N", "abnormal"))
                .build();
    }

    @Test
    void shouldRoundTripThroughBytesWithFormatVersion2Fields() throws Exception {
        MultiLayerNetwork net = Networks.build(classifier(CellType.GRU));
        ModelArtifact original = ModelArtifact.of(net, classifierMetadata(net, "2"));

        ModelArtifact read = ModelArtifact.read(original.toBytes());

        assertEquals(original.metadata(), read.metadata());
        assertEquals(ModelArtifact.FORMAT_VERSION, read.metadata().formatVersion());
        assertEquals(List.of("N", "abnormal"), read.metadata().classes());
        assertEquals(CellType.GRU, read.toSequenceModel().info().cell());
    }

    @Test
    void shouldCarryALinearHeadAsFormatVersion3AndServeItAfterTheNetwork() throws Exception {
        MultiLayerNetwork net = Networks.build(classifier(CellType.LSTM));
        ModelMetadata plain = classifierMetadata(net, "6");
        LinearHead head =
                new LinearHead(List.of("c", "a"), List.of(List.of(0.0, 0.0), List.of(2.0, -1.0)), List.of(0.0, 0.5));
        ModelArtifact withHead =
                ModelArtifact.of(net, plain.toBuilder().head(head).build());

        ModelArtifact read = ModelArtifact.read(withHead.toBytes());

        assertEquals(ModelArtifact.HEAD_FORMAT_VERSION, read.metadata().formatVersion());
        assertEquals(head, read.metadata().head());
        assertEquals(withHead.metadata(), read.metadata());
        // without the head: written as format version 2, no head in the JSON
        ModelArtifact without = ModelArtifact.of(net, plain);
        assertEquals(ModelArtifact.FORMAT_VERSION, without.metadata().formatVersion());
        assertTrue(!new String(without.toBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("\"head\""));
        // served: the network's probabilities, then abnormal's score moved by 0.5 + 2 c - a
        SequenceModel served = read.toSequenceModel();
        SequenceModel network = without.toSequenceModel();
        float[] headState = new float[served.stateSize()];
        float[] netState = new float[network.stateSize()];
        float[][] steps = {{0.5f, -1f, 2f}, {1f, 0.25f, -0.5f}};
        for (float[] x : steps) {
            float[] got = new float[2];
            float[] p = new float[2];
            served.step(1, x, headState, got);
            network.step(1, x, netState, p);
            double abnormal = Math.log(p[1]) + 0.5 + 2 * x[2] - x[0];
            double normal = Math.log(p[0]);
            double expected = 1 / (1 + Math.exp(normal - abnormal));
            assertEquals(expected, got[1], 1e-5);
            assertEquals(1 - expected, got[0], 1e-5);
        }
    }

    @Test
    void shouldRefuseALinearHeadOnAForecaster() {
        ModelMetadata forecaster = artifact().metadata();
        LinearHead head = new LinearHead(List.of("load_mw"), List.of(List.of(1.0)), List.of(0.0));

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> forecaster.toBuilder().head(head).build());

        assertTrue(e.getMessage().contains("needs a classifier"), e.getMessage());
    }

    @Test
    void shouldDescribeAndRestoreAnEncoderDecoderButRefuseToStepIt() throws Exception {
        MultiLayerNetwork net = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(4), 1, 1, 1)
                .withShape(SequenceShape.ENCODER_DECODER, OutputHead.REGRESSION, 3));
        ModelInfo info = NetworkLayout.describe(net, "seq2seq", "1");
        assertEquals(List.of(4, 4), info.hiddenSizes(), "encoder then decoder");
        ModelMetadata metadata = ModelMetadata.of(
                        info, List.of("x"), 3, 8, Map.of(), "none", Map.of(), Instant.parse("2025-01-31T12:00:00Z"))
                .toBuilder()
                .shape(SequenceShape.ENCODER_DECODER)
                .outputSteps(3)
                .build();

        ModelArtifact read = ModelArtifact.read(ModelArtifact.of(net, metadata).toBytes());

        assertEquals(3, read.toShapedModel().predict(new float[8][1]).length);
        IllegalStateException e = assertThrows(IllegalStateException.class, read::toSequenceModel);
        assertTrue(e.getMessage().contains("toShapedModel"), e.getMessage());
    }

    @Test
    void shouldAcceptACompatiblePipelineAndListEveryMismatchOtherwise() {
        ModelArtifact artifact = artifact();
        artifact.requireCompatible(1, 4, ModelArtifact.MANY_TO_MANY);

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> artifact.requireCompatible(2, 1, ModelArtifact.MANY_TO_MANY));

        assertTrue(e.getMessage().contains("input size 1 (pipeline has 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("horizon 4 (pipeline has 1)"), e.getMessage());
    }

    @Test
    void shouldRefuseMetadataThatDoesNotDescribeTheNetwork() {
        MultiLayerNetwork net = KernelModelTest.randomNetwork(CellType.RNN, List.of(5), 1, 3);
        ModelInfo wrong = new ModelInfo("load", "1", CellType.RNN, List.of(7), 1, 4);
        ModelMetadata metadata = ModelMetadata.of(wrong, List.of("x"), 4, 0, Map.of(), "none", Map.of(), Instant.EPOCH);

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelArtifact.of(net, metadata));

        assertTrue(e.getMessage().contains("[7]") && e.getMessage().contains("[5]"), e.getMessage());
    }

    private static byte[] editJson(byte[] bytes, UnaryOperator<ObjectNode> edit) {
        try {
            ObjectMapper json = new ObjectMapper();
            return json.writeValueAsBytes(edit.apply((ObjectNode) json.readTree(bytes)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rewrites the zip with one entry's bytes transformed. */
    private static void rewrite(Path file, String entryName, UnaryOperator<byte[]> change) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] bytes = in.readAllBytes();
                    entries.put(e.getName(), e.getName().equals(entryName) ? change.apply(bytes) : bytes);
                }
            }
        }
        try (OutputStream os = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }
}
