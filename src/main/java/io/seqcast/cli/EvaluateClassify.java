package io.seqcast.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.seqcast.classify.AamiClass;
import io.seqcast.classify.BeatMatching;
import io.seqcast.classify.BeatScores;
import io.seqcast.classify.EcgRecord;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.evaluate.HeartbeatReplay;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.training.HeartbeatTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqcast evaluate classify}: every ECG record of a directory through the real topology of an ECG pipeline (raw
 * samples in, {@link HeartbeatReplay}); detection sensitivity and positive predictivity, the confusion matrix of AAMI
 * classes over matched beats, and per-class sensitivity, PPV and F1, per record and pooled.
 */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = "Heartbeats: replay ECG records (raw samples) through an ECG pipeline's real topology, match the"
                + " published beats to the reference annotations (150 ms) and print detection sensitivity and positive"
                + " predictivity, the confusion matrix and per-class sensitivity, PPV and F1 (N S V F Q, normal and"
                + " abnormal), per record and pooled.")
final class EvaluateClassify implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--pipeline",
            paramLabel = "FILE",
            description = "ECG pipeline (default: topology/heartbeats.yaml).")
    Path pipeline = Path.of("topology/heartbeats.yaml");

    @Option(names = "--model", paramLabel = "FILE", description = "Model artifact (default: the pipeline's).")
    Path model;

    @Option(
            names = "--records",
            paramLabel = "DIR",
            description = "Directory of records as in data/ecg:"
                    + " <record>_signal.csv[.gz] with <record>_annotations.csv beside it (default: data/ecg).")
    Path records = Path.of("data/ecg");

    @Option(
            names = "--split",
            description = "Only the records of this part of the MIT-BIH inter-patient split: DS1,"
                    + " DS2, or all (default: all records of the directory but the paced ones, 102, 104, 107 and 217).")
    String split = "all";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures here as JSON.")
    Path json;

    @Option(
            names = "--threads",
            description = "Records replayed at once, each through its own topology (default:" + " 1).")
    int threads = 1;

    private static final Set<String> PACED = Set.of("102", "104", "107", "217");

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        PipelineConfig p = PipelineFiles.load(pipeline).get(0);
        SequenceModel m = model == null
                ? ModelCatalog.load(List.of(p)).apply(p)
                : ModelCatalog.fromArtifact(ModelArtifact.read(model));
        Map<String, HeartbeatReplay.Replayed> results = new LinkedHashMap<>();
        BeatMatching.Counts pooled = BeatMatching.Counts.empty();
        if (!Files.isDirectory(records)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--records " + records + ": no such directory (it holds the records as data/ecg does:"
                            + " <record>_signal.csv[.gz] with <record>_annotations.csv beside it)");
        }
        List<Path> chosen = new ArrayList<>();
        List<String> unannotated = new ArrayList<>();
        for (Path signal : EcgRecord.signalFiles(records)) {
            String file = signal.getFileName().toString();
            if (selected(file.substring(0, file.indexOf("_signal")))) {
                chosen.add(signal);
                Path annotations = EcgRecord.annotationsOf(signal);
                if (!Files.isRegularFile(annotations)) {
                    unannotated.add(annotations.getFileName().toString());
                }
            }
        }
        if (!unannotated.isEmpty()) {
            // without the reference beats every published beat would count as a false detection
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "no reference annotations in " + records + ": " + String.join(", ", unannotated)
                            + " missing; evaluate classify compares the published beats with each record's"
                            + " annotations (format: data/ecg/README.md): add them, or move those records out");
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<HeartbeatReplay.Replayed>> runs = new ArrayList<>();
            for (Path signal : chosen) {
                // each record through its own topology and its own copy of the model
                SequenceModel copy = m.copy();
                runs.add(pool.submit(() -> HeartbeatReplay.run(p, copy, EcgRecord.read(signal))));
            }
            for (Future<HeartbeatReplay.Replayed> run : runs) {
                HeartbeatReplay.Replayed r = run.get();
                results.put(r.record(), r);
                pooled = pooled.plus(r.counts());
                w.printf(
                        Locale.ROOT,
                        "%n%s: %d reference beats, %d published; detection Se %s, +P %s%n",
                        r.record(),
                        r.counts().reference(),
                        r.counts().detected(),
                        BeatScoresText.pct(r.counts().sensitivity()),
                        BeatScoresText.pct(r.counts().ppv()));
                w.print(BeatScores.table(r.counts().confusion()));
                w.flush();
            }
        } finally {
            pool.shutdownNow();
        }
        if (results.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "no record of split '" + split + "' in " + records);
        }
        w.printf(
                Locale.ROOT,
                "%npooled over %d records: %d reference beats, %d published; detection Se %s, +P %s%n",
                results.size(),
                pooled.reference(),
                pooled.detected(),
                BeatScoresText.pct(pooled.sensitivity()),
                BeatScoresText.pct(pooled.ppv()));
        w.print(BeatScores.table(pooled.confusion()));
        w.flush();
        if (json != null) {
            writeJson(json, results, pooled);
            w.println("wrote " + json);
            w.flush();
        }
        return 0;
    }

    private boolean selected(String name) {
        return switch (split.toUpperCase(Locale.ROOT)) {
            case "DS1" -> HeartbeatTraining.in(HeartbeatTraining.DS1, name);
            case "DS2" -> HeartbeatTraining.in(HeartbeatTraining.DS2, name);
            case "ALL" -> !HeartbeatTraining.in(PACED, name);
            default ->
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--split is '" + split + "'; use DS1, DS2 or all");
        };
    }

    static void writeJson(Path file, Map<String, HeartbeatReplay.Replayed> results, BeatMatching.Counts pooled)
            throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("records");
            for (var e : results.entrySet()) {
                g.writeFieldName(e.getKey());
                figures(g, e.getValue().counts());
            }
            g.writeEndObject();
            g.writeFieldName("pooled");
            figures(g, pooled);
            g.writeEndObject();
        }
    }

    private static void figures(JsonGenerator g, BeatMatching.Counts c) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("detection");
        number(g, "sensitivity", c.sensitivity());
        number(g, "ppv", c.ppv());
        g.writeNumberField("reference", c.reference());
        g.writeNumberField("detected", c.detected());
        g.writeNumberField("matched", c.matched());
        g.writeEndObject();
        g.writeObjectFieldStart("classes");
        for (var e : BeatScores.of(c.confusion()).entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            number(g, "sensitivity", e.getValue().sensitivity());
            number(g, "ppv", e.getValue().ppv());
            number(g, "f1", e.getValue().f1());
            g.writeNumberField("support", e.getValue().support());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("confusion");
        g.writeArrayFieldStart("classes");
        for (String name : AamiClass.NAMES) {
            g.writeString(name);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("matrix");
        for (long[] row : c.confusion()) {
            g.writeArray(row, 0, row.length);
        }
        g.writeEndArray();
        g.writeStringField("rows", "reference class");
        g.writeStringField("columns", "class given");
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, v);
        }
    }

    /** Percentages for the text report. */
    static final class BeatScoresText {
        static String pct(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
        }
    }
}
