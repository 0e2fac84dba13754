package io.seqcast.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A trained model as one file: a zip holding the DL4J network ({@value #NETWORK_ENTRY}, written by
 * {@link ModelSerializer} without updater state) and its {@link ModelMetadata} ({@value #METADATA_ENTRY}).
 *
 * <p>The metadata carries a SHA-256 content hash over, in order: the network entry's length as 8 big-endian bytes,
 * the network entry's bytes, and the canonical JSON of the metadata without {@code contentHash} (compact, object keys
 * sorted; for reading, the metadata exactly as stored, so that files of older versions verify). {@link #read} refuses a
 * file whose hash does not match, whose format version it does not know ({@link #READABLE_VERSIONS}), or whose
 * metadata disagrees with its network.
 *
 * <p>An artifact is a snapshot: the network given to {@link #of} is serialised at once, and {@link #network()}
 * returns a network restored from those bytes, never the caller's instance.
 */
public final class ModelArtifact {

    /**
     * The format version this class writes. Version 2 added {@code task}, {@code classes} and {@code outputSteps} to
     * the metadata and the shapes other than many-to-many.
     */
    public static final int FORMAT_VERSION = 2;
    /**
     * The format version of an artifact whose metadata carries a {@link LinearHead} (added in version 3); one without
     * is still written as {@link #FORMAT_VERSION}, which older seqcast releases read.
     */
    public static final int HEAD_FORMAT_VERSION = 3;
    /** Every format version this class reads. */
    public static final java.util.Set<Integer> READABLE_VERSIONS = java.util.Set.of(1, 2, 3);
    /** Shape name of a network with an output at every input step. */
    public static final String MANY_TO_MANY = "many-to-many";
    /** Zip entry holding the DL4J network. */
    public static final String NETWORK_ENTRY = "network.dl4j";
    /** Zip entry holding the metadata JSON. */
    public static final String METADATA_ENTRY = "metadata.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final ModelMetadata metadata;
    private final byte[] networkBytes;
    private final MultiLayerNetwork network;

    private ModelArtifact(ModelMetadata metadata, byte[] networkBytes, MultiLayerNetwork network) {
        this.metadata = metadata;
        this.networkBytes = networkBytes;
        this.network = network;
    }

    /**
     * Snapshots {@code network} with {@code metadata}, computing the content hash.
     *
     * @throws IllegalArgumentException if the metadata does not describe the network (cell, layers, sizes)
     */
    public static ModelArtifact of(MultiLayerNetwork network, ModelMetadata metadata) {
        byte[] bytes;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, out, false);
            bytes = out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not serialise the network of model " + metadata.name(), e);
        }
        MultiLayerNetwork restored = restore(bytes, "model " + metadata.name());
        String problem = mismatch(metadata, restored);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        ModelMetadata unhashed = metadata.toBuilder().contentHash(null).build();
        return new ModelArtifact(
                unhashed.toBuilder().contentHash(contentHash(bytes, unhashed)).build(), bytes, restored);
    }

    /**
     * Reads and verifies an artifact.
     *
     * @throws ModelArtifactException naming the file and what is wrong: not a readable zip (truncated?), missing
     *     entry, unknown format version, content hash mismatch, or metadata that disagrees with the network
     */
    public static ModelArtifact read(Path file) throws IOException {
        byte[] networkBytes;
        byte[] metadataBytes;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            networkBytes = entry(zip, NETWORK_ENTRY, file);
            metadataBytes = entry(zip, METADATA_ENTRY, file);
        } catch (ZipException e) {
            throw new ModelArtifactException(
                    "model artifact " + file + " is not a readable zip (" + e.getMessage()
                            + "); the file is truncated or not a model artifact: copy it again or re-export the model",
                    e);
        }
        return verify(networkBytes, metadataBytes, "model artifact " + file);
    }

    /**
     * Reads and verifies an artifact from the bytes of its file (for instance a record value of a model registry
     * topic).
     *
     * @throws ModelArtifactException as {@link #read(Path)}
     */
    public static ModelArtifact read(byte[] artifact) throws ModelArtifactException {
        byte[] networkBytes = null;
        byte[] metadataBytes = null;
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new ByteArrayInputStream(artifact))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (NETWORK_ENTRY.equals(e.getName())) {
                    networkBytes = zip.readAllBytes();
                } else if (METADATA_ENTRY.equals(e.getName())) {
                    metadataBytes = zip.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new ModelArtifactException(
                    "model artifact of " + artifact.length + " bytes is not a readable zip (" + e.getMessage()
                            + "); it is truncated or not a model artifact",
                    e);
        }
        if (networkBytes == null || metadataBytes == null) {
            throw new ModelArtifactException("model artifact of " + artifact.length + " bytes has no entry "
                    + (networkBytes == null ? NETWORK_ENTRY : METADATA_ENTRY)
                    + "; it is not a seqcast model artifact or was written incompletely");
        }
        return verify(networkBytes, metadataBytes, "model artifact of " + artifact.length + " bytes");
    }

    private static ModelArtifact verify(byte[] networkBytes, byte[] metadataBytes, String what)
            throws ModelArtifactException {
        JsonNode tree;
        try {
            tree = JSON.readTree(metadataBytes);
        } catch (IOException e) {
            throw new ModelArtifactException(what + ": " + METADATA_ENTRY + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode format = tree == null ? null : tree.get("formatVersion");
        if (format == null || !format.canConvertToInt()) {
            throw new ModelArtifactException(what + ": " + METADATA_ENTRY + " has no integer formatVersion");
        }
        if (!READABLE_VERSIONS.contains(format.intValue())) {
            throw new ModelArtifactException(what + " has format version " + format.intValue()
                    + " but this seqcast reads format versions " + new java.util.TreeSet<>(READABLE_VERSIONS)
                    + "; use the seqcast release that wrote it or re-export the model");
        }
        ModelMetadata metadata;
        try {
            metadata = JSON.treeToValue(tree, ModelMetadata.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelArtifactException(
                    what + ": " + METADATA_ENTRY + " is not valid metadata: " + e.getMessage(), e);
        }
        ObjectNode stored = ((ObjectNode) tree).deepCopy();
        stored.remove("contentHash");
        String expected;
        try {
            expected = contentHash(networkBytes, JSON.writeValueAsBytes(sorted(stored)));
        } catch (IOException e) {
            throw new ModelArtifactException(what + ": could not hash its metadata: " + e.getMessage(), e);
        }
        if (!expected.equals(metadata.contentHash())) {
            throw new ModelArtifactException(what + ": content hash mismatch: file says " + metadata.contentHash()
                    + ", content is " + expected + "; the file was modified or truncated");
        }
        MultiLayerNetwork network;
        try {
            network = restore(networkBytes, what);
        } catch (IllegalStateException e) {
            throw new ModelArtifactException(e.getMessage(), e.getCause());
        }
        String problem = mismatch(metadata, network);
        if (problem != null) {
            throw new ModelArtifactException(what + ": " + problem);
        }
        return new ModelArtifact(metadata, networkBytes, network);
    }

    /** The artifact file's bytes, as {@link #write} writes them. */
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                writeEntries(zip);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not write model " + metadata.name() + " to memory", e);
        }
    }

    private void writeEntries(ZipOutputStream zip) throws IOException {
        zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(NETWORK_ENTRY));
        zip.write(networkBytes);
        zip.closeEntry();
    }

    /** Writes the artifact to {@code file} atomically (a temporary file beside it, then a rename). */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                    ZipOutputStream zip = new ZipOutputStream(os)) {
                writeEntries(zip);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The metadata, with its content hash. */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The network restored from the artifact's bytes. Callers must not train it: it backs {@link #toSequenceModel}. */
    public MultiLayerNetwork network() {
        return network;
    }

    /**
     * A step kernel running this artifact's network, named after the metadata, reading the inputs the metadata lists
     * ({@link WithInputs}), followed by its {@link LinearHead} if it has one.
     *
     * @throws IllegalStateException for an encoder-decoder or one-to-many model, which the kernel does not step (use
     *     {@link #toShapedModel()})
     */
    public SequenceModel toSequenceModel() {
        if (!metadata.sequenceShape().steppable()) {
            throw new IllegalStateException("model " + metadata.name() + " is " + metadata.shape()
                    + ", which the step kernel does not run; run it with toShapedModel()");
        }
        SequenceModel kernel = KernelModel.fromNetwork(network, metadata.name(), metadata.version());
        if (metadata.head() != null) {
            kernel = metadata.head().around(kernel, metadata.inputFeatures());
        }
        return WithInputs.of(kernel, ModelInputs.ofInputFeatures(metadata.inputFeatures()));
    }

    /** This artifact's network run over whole sequences, for any shape. */
    public ShapedModel toShapedModel() {
        return new ShapedModel(network, metadata.sequenceShape());
    }

    /**
     * Checks that this model fits a pipeline.
     *
     * @throws IllegalArgumentException listing every mismatch at once
     */
    public void requireCompatible(int inputSize, int horizon, String shape) {
        List<String> problems = new ArrayList<>();
        if (metadata.inputSize() != inputSize) {
            problems.add("input size " + metadata.inputSize() + " (pipeline has " + inputSize + ")");
        }
        if (metadata.horizon() != horizon) {
            problems.add("horizon " + metadata.horizon() + " (pipeline has " + horizon + ")");
        }
        if (!metadata.shape().equals(shape)) {
            problems.add("shape " + metadata.shape() + " (pipeline has " + shape + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("model " + metadata.name() + " version " + metadata.version()
                    + " does not fit this pipeline: it has " + String.join(", ", problems)
                    + "; train a model for this pipeline or change the pipeline's settings");
        }
    }

    /** Lowercase hex SHA-256 as documented on the class. */
    static String contentHash(byte[] networkBytes, ModelMetadata unhashed) {
        return contentHash(networkBytes, canonicalJson(unhashed));
    }

    private static String contentHash(byte[] networkBytes, byte[] canonicalMetadata) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long n = networkBytes.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                sha.update((byte) (n >>> shift));
            }
            sha.update(networkBytes);
            sha.update(canonicalMetadata);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    /**
     * Compact JSON of the metadata without its hash, object keys sorted. It is computed from the JSON text, re-parsed,
     * so that writer and reader hash the same bytes whatever Java types the maps held.
     */
    static byte[] canonicalJson(ModelMetadata unhashed) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(unhashed));
            tree.remove("contentHash");
            return JSON.writeValueAsBytes(sorted(tree));
        } catch (IOException e) {
            throw new IllegalStateException("could not write metadata of model " + unhashed.name() + " as JSON", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(sorted(child)));
            return out;
        }
        return node;
    }

    private static byte[] entry(ZipFile zip, String name, Path file) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new ModelArtifactException("model artifact " + file + " has no entry " + name
                    + "; it is not a seqcast model artifact or was written incompletely");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static MultiLayerNetwork restore(byte[] bytes, String what) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(what + ": the network could not be restored: " + e.getMessage(), e);
        }
    }

    /** Null if the metadata describes the network, else what differs. */
    private static String mismatch(ModelMetadata metadata, MultiLayerNetwork network) {
        ModelInfo actual;
        try {
            actual = NetworkLayout.describe(network, metadata.name(), metadata.version());
        } catch (IllegalArgumentException e) {
            return "the network is not a seqcast network: " + e.getMessage();
        }
        if (actual.cell() != metadata.cell()
                || !actual.hiddenSizes().equals(metadata.hiddenSizes())
                || actual.inputSize() != metadata.inputSize()
                || actual.outputSize() != metadata.outputSize()) {
            return "metadata says " + metadata.cell() + " " + metadata.hiddenSizes() + " input " + metadata.inputSize()
                    + " output " + metadata.outputSize() + " but the network is " + actual.cell() + " "
                    + actual.hiddenSizes() + " input " + actual.inputSize() + " output " + actual.outputSize();
        }
        return null;
    }
}
