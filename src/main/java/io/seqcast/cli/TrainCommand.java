package io.seqcast.cli;

import io.seqcast.forecast.Normalizer;
import io.seqcast.classify.Heartbeats;
import io.seqcast.model.CellType;
import io.seqcast.model.ClassificationReport;
import io.seqcast.model.LabelledSequences;
import io.seqcast.model.Networks;
import io.seqcast.model.SequenceShape;
import io.seqcast.model.SequenceTrainer;
import io.seqcast.model.ShapedModel;
import io.seqcast.model.EpochReport;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.Trainer;
import io.seqcast.model.TrainingOptions;
import io.seqcast.model.TrainingProgress;
import io.seqcast.model.TrainingResult;
import io.seqcast.replay.CsvSeries;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code seqcast train}: trains one global many-to-many forecaster over CSV series, each normalised per series
 * exactly as the engine normalises it while streaming, and writes a model artifact.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a recurrent forecaster (one global model across series with per-series normalisation,"
                + " or one per series) on CSV files or a Kafka topic, and write a model artifact.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "CSV files (.csv or .csv.gz), one series each.")
    List<Path> files = List.of();

    @Option(names = "--from-topic", paramLabel = "TOPIC",
            description = "Train on the observations of this topic instead of files: it is read from its start to its"
                    + " current end, series by series (records keyed by series, JSON as the engine reads it).")
    String fromTopic;

    @Option(names = "--pipeline", paramLabel = "FILE", description = "With --from-topic: read the topic with this"
            + " pipeline file's field mapping (input.fields, input.features) instead of the default one-value mapping;"
            + " --from-topic defaults to its input topic.")
    Path pipelineFile;

    /** The Kafka cluster of --from-topic. */
    @picocli.CommandLine.Mixin
    KafkaClientOptions kafka;

    @Option(names = "--per-series", description = "Train one model per series (written as <out>-<series>.seqcast)"
            + " instead of one global model across all series.")
    boolean perSeries;

    @Option(names = "--time-column", description = "Time column (default: the first).")
    String timeColumn;

    @Option(names = "--value-column", description = "Value column (default: the second); 'close' for stock files."
            + " Several, comma-separated, for a windowed shape (the first is the target): close,open,high,low.")
    String valueColumn;

    @Option(names = "--cell", description = "Recurrent cell: ${COMPLETION-CANDIDATES} (default: lstm).")
    CellType cell = CellType.LSTM;

    @Option(names = "--layers", split = ",", description = "Hidden units per layer, input upwards (default: 32,32).")
    List<Integer> layers = List.of(32, 32);

    @Option(names = "--horizon", description = "Steps ahead forecast at every step (default: 6).")
    int horizon = 6;

    @Option(names = "--epochs", description = "Epochs at most (default: 30).")
    int epochs = 30;

    @Option(names = "--batch-size", description = "Series per minibatch (default: 16).")
    int batchSize = 16;

    @Option(names = "--tbptt", description = "Truncated BPTT length, 0 for full BPTT (default: 100).")
    int tbptt = 100;

    @Option(names = "--learning-rate", description = "Adam learning rate (default: 0.005).")
    double learningRate = 0.005;

    @Option(names = "--validation-fraction", description = "Last part of each series held out (default: 0.2).")
    double validationFraction = 0.2;

    @Option(names = "--patience", description = "Epochs without improvement before stopping (default: 5).")
    int patience = 5;

    @Option(names = "--dropout", description = "Dropout on the inputs of layers above the first (default: 0).")
    double dropout = 0;

    @Option(names = "--seed", description = "Seed (default: 42).")
    long seed = 42;

    @Option(names = "--name", required = true, description = "Model name, published with every forecast.")
    String name;

    @Option(names = "--model-version", description = "Model version (default: 1).", defaultValue = "1")
    String version;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Artifact to write.")
    Path out;

    @Option(names = "--task", description = "forecast (default), heartbeats (the inter-patient beat classifier of"
            + " raw ECG pipelines, from --records) or classify (FILE... are ECG signal CSVs, --annotations their beat"
            + " annotations; beats cut at the annotations).")
    String task = ModelMetadata.FORECAST;

    @Option(names = "--shape", description = "many-to-many (default for forecast: stateful), many-to-one or"
            + " encoder-decoder (a window of --window steps in, the next --horizon values out), or one-to-many (one"
            + " observation's vector in, the next --horizon steps out); classify is always many-to-one.")
    String shape;

    @Option(names = "--window", description = "Input steps of a windowed forecaster (default: 48).")
    int window = 48;

    @Option(names = "--annotations", split = ",", paramLabel = "FILE",
            description = "For --task classify: annotation CSVs, one per signal file, in the same order.")
    List<Path> annotations = List.of();

    @Option(names = "--test-fraction", description = "For --task classify: last part of every record held out for"
            + " the reported precision and recall (default: 0.3).")
    double testFraction = 0.3;

    @Option(names = "--records", paramLabel = "DIR", description = "For --task heartbeats: directory of MIT-BIH"
            + " records in the CSV form of data/ecg (<record>_signal.csv.gz and <record>_annotations.csv); its DS1"
            + " records train.")
    Path records;

    @Option(names = "--folds", description = "For --task heartbeats: patient-wise cross-validation folds on DS1 before"
            + " the final training (default: 0, none).")
    int folds;

    @Option(names = "--fold", description = "For --task heartbeats with --folds: run only this fold (1-based) and"
            + " write no model, so that folds can run in parallel (default: all folds, then the final model).")
    int onlyFold;

    @Option(names = "--max-per-class", description = "For --task heartbeats: beats of each class kept per record"
            + " (default: 100).")
    int maxNormal = 100;

    @Override
    public Integer call() throws Exception {
        if ("heartbeats".equals(task)) {
            if (records == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--task heartbeats needs --records DIR (MIT-BIH records as CSV, e.g. ../shared/data/ecg)");
            }
            return HeartbeatsTraining.run(records, folds, onlyFold, maxNormal, new TrainingOptions(cell, layers, dropout,
                    learningRate, epochs, batchSize, 0, validationFraction, patience, null, seed), name, version, out,
                    spec.commandLine().getOut(), new Bar(spec.commandLine().getOut()));
        }
        if (ModelMetadata.CLASSIFY.equals(task)) {
            return classify();
        }
        if (!ModelMetadata.FORECAST.equals(task)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unknown --task '" + task + "'; use forecast or classify");
        }
        SequenceShape forecastShape = shape == null ? SequenceShape.MANY_TO_MANY : SequenceShape.of(shape);
        PrintWriter w = spec.commandLine().getOut();
        List<String> columns = valueColumn == null ? List.of() : List.of(valueColumn.split(","));
        io.seqcast.event.FieldMapping mapping = io.seqcast.event.FieldMapping.DEFAULT;
        if (pipelineFile != null) {
            var pipeline = io.seqcast.config.PipelineFiles.load(pipelineFile).get(0);
            mapping = pipeline.input().fields();
            fromTopic = fromTopic == null ? pipeline.input().topic() : fromTopic;
        }
        List<CsvSeries> data = fromTopic != null ? TrainingData.fromTopic(kafka.properties(), fromTopic, mapping, w)
                : TrainingData.fromFiles(files, timeColumn, columns);
        if (data.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "no training data: give CSV files, or --from-topic with --bootstrap-servers (or --command-config)");
        }
        if (forecastShape != SequenceShape.MANY_TO_MANY) {
            return windowedForecast(forecastShape, data, columns);
        }
        if (columns.size() > 1 || data.get(0).values()[0].length > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "the stateful (many-to-many)"
                    + " forecaster is trained on one value; for several features use --shape many-to-one,"
                    + " encoder-decoder or one-to-many");
        }
        if (!perSeries) {
            trainAndWrite(data, out, name);
            return 0;
        }
        String stem = out.getFileName().toString().replaceAll("\\.seqcast$", "");
        for (CsvSeries s : data) {
            String safe = s.name().replaceAll("[^A-Za-z0-9._-]", "_");
            trainAndWrite(List.of(s), out.resolveSibling(stem + "-" + safe + ".seqcast"), name + "-" + safe);
        }
        return 0;
    }

    /** Trains one many-to-many forecaster over {@code data} and writes it to {@code target}. */
    private void trainAndWrite(List<CsvSeries> data, Path target, String modelName) throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        List<float[]> series = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (CsvSeries s : data) {
            series.add(Normalizer.normalizeSeries(s.firstColumn()));
            fingerprint.update(s.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (double v : s.firstColumn()) {
                fingerprint.update(java.nio.ByteBuffer.allocate(8).putDouble(v).array());
            }
            w.printf(Locale.ROOT, "series %-45s %7d observations%n", s.name(), s.size());
        }
        TrainingOptions options = new TrainingOptions(cell, layers, dropout, learningRate, epochs, batchSize, tbptt,
                validationFraction, patience, null, seed);
        w.printf(Locale.ROOT, "training %s %s %s, horizon %d, up to %d epochs (seed %d)%n", modelName, cell, layers,
                horizon, epochs, seed);
        w.flush();
        TrainingResult result = new Trainer(options).train(series, horizon, new Bar(w));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_mse", result.bestValidationLoss());
        metrics.put("naive_validation_mse", result.naiveValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        ModelInfo info = new ModelInfo(modelName, version, cell, layers, 1, horizon);
        Map<String, Object> normalisation = new LinkedHashMap<>();
        normalisation.put("method", "causal exponentially weighted z-score, per series");
        normalisation.put("memory", Normalizer.MEMORY);
        normalisation.put("clip", (double) Normalizer.CLIP);
        ModelMetadata metadata = ModelMetadata.of(info, List.of("value"), horizon, 0, normalisation,
                "sha256:" + HexFormat.of().formatHex(fingerprint.digest()) + " over "
                        + data.stream().map(CsvSeries::name).collect(Collectors.joining(",")),
                metrics, Instant.now());
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        ModelArtifact.of(result.network(), metadata).write(target);
        w.printf(Locale.ROOT, "best epoch %d: validation MSE %.5f (naive last value %.5f)%s; wrote %s%n",
                result.bestEpoch(), result.bestValidationLoss(), result.naiveValidationLoss(),
                result.stoppedEarly() ? ", stopped early" : "", target);
        w.flush();
    }

    /** Heartbeat classifier: per record, first 60% of beats train, next 10% validate, last 30% are held out. */
    private int classify() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (annotations.size() != files.size()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--task classify needs one"
                    + " --annotations file per signal file; got " + files.size() + " signals and " + annotations.size()
                    + " annotation files");
        }
        if (shape != null && SequenceShape.of(shape) != SequenceShape.MANY_TO_ONE) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--task classify trains a many-to-one classifier; drop --shape or use --shape many-to-one");
        }
        double trainEnd = (1 - testFraction) * (1 - validationFraction);
        double validEnd = 1 - testFraction;
        List<float[][]> trainX = new ArrayList<>();
        List<float[][]> validX = new ArrayList<>();
        List<float[][]> testX = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        List<Integer> validY = new ArrayList<>();
        List<Integer> testY = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (int r = 0; r < files.size(); r++) {
            String record = CsvSeries.nameOf(files.get(r));
            List<Heartbeats.Beat> beats = Heartbeats.read(record, files.get(r), annotations.get(r), trainEnd);
            fingerprint.update(Files.readAllBytes(files.get(r)));
            fingerprint.update(Files.readAllBytes(annotations.get(r)));
            int a = (int) Math.round(beats.size() * trainEnd);
            int b = (int) Math.round(beats.size() * validEnd);
            int[] counts = new int[2];
            for (int i = 0; i < beats.size(); i++) {
                Heartbeats.Beat beat = beats.get(i);
                float[][] x = new float[Heartbeats.STEPS][1];
                for (int t = 0; t < Heartbeats.STEPS; t++) {
                    x[t][0] = beat.window()[t];
                }
                (i < a ? trainX : i < b ? validX : testX).add(x);
                (i < a ? trainY : i < b ? validY : testY).add(beat.label());
                counts[beat.label()]++;
            }
            w.printf(Locale.ROOT, "record %-25s %5d beats (%d normal, %d abnormal): %d train, %d validation, %d test%n",
                    record, beats.size(), counts[0], counts[1], a, b - a, beats.size() - b);
        }
        LabelledSequences train = LabelledSequences.classes(trainX, ints(trainY), Heartbeats.CLASSES);
        LabelledSequences valid = LabelledSequences.classes(validX, ints(validY), Heartbeats.CLASSES);
        TrainingOptions options = new TrainingOptions(cell, layers, dropout, learningRate, epochs, batchSize, 0,
                validationFraction, patience, null, seed);
        w.printf(Locale.ROOT, "training a %s %s many-to-one classifier, up to %d epochs (seed %d)%n", cell, layers,
                epochs, seed);
        w.flush();
        TrainingResult result = new SequenceTrainer(options, SequenceShape.MANY_TO_ONE).train(train, valid, new Bar(w));
        ShapedModel model = new ShapedModel(result.network(), SequenceShape.MANY_TO_ONE);
        int[] actual = ints(testY);
        int[] predicted = new int[actual.length];
        List<float[][]> probabilities = model.predict(testX);
        for (int i = 0; i < actual.length; i++) {
            predicted[i] = probabilities.get(i)[0][1] > probabilities.get(i)[0][0] ? 1 : 0;
        }
        ClassificationReport report = ClassificationReport.of(Heartbeats.CLASSES, actual, predicted);
        w.println("held-out beats (last " + Math.round(testFraction * 100) + "% of every record):");
        w.println(report.table());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_cross_entropy", result.bestValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        metrics.put("test_accuracy", report.accuracy());
        for (int c = 0; c < Heartbeats.CLASSES.size(); c++) {
            metrics.put("test_precision_" + Heartbeats.CLASSES.get(c), report.precision(c));
            metrics.put("test_recall_" + Heartbeats.CLASSES.get(c), report.recall(c));
        }
        ModelInfo info = new ModelInfo(name, version, cell, layers, 1, Heartbeats.CLASSES.size());
        Map<String, Object> normalisation = new LinkedHashMap<>();
        normalisation.put("method", "window mean subtracted, divided by the record's standard deviation");
        normalisation.put("window", "R peak -" + Heartbeats.BEFORE + " to +" + Heartbeats.AFTER + " samples at "
                + Heartbeats.RATE_HZ + " Hz, mean of every " + Heartbeats.DOWNSAMPLE + " samples");
        ModelMetadata metadata = ModelMetadata.of(info, List.of("ecg"), 1, Heartbeats.STEPS, normalisation,
                        "sha256:" + HexFormat.of().formatHex(fingerprint.digest()), metrics, Instant.now())
                .withShape(SequenceShape.MANY_TO_ONE, ModelMetadata.CLASSIFY, Heartbeats.CLASSES, 1);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ModelArtifact.of(result.network(), metadata).write(out);
        w.printf(Locale.ROOT, "best epoch %d: validation cross-entropy %.4f (class frequencies %.4f); wrote %s%n",
                result.bestEpoch(), result.bestValidationLoss(), result.naiveValidationLoss(), out);
        w.flush();
        return 0;
    }

    /**
     * A forecaster served by the windowed mode ({@link WindowedTraining}), one over every series or, with
     * {@code --per-series}, one per series.
     */
    private int windowedForecast(SequenceShape forecastShape, List<CsvSeries> data, List<String> columns)
            throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        int width = data.get(0).values().length == 0 ? 1 : data.get(0).values()[0].length;
        List<String> features = !columns.isEmpty() ? columns : width == 1 ? List.of("value")
                : java.util.stream.IntStream.range(0, width).mapToObj(i -> "value" + i).toList();
        TrainingOptions options = new TrainingOptions(cell, layers, dropout, learningRate, epochs, batchSize, 0,
                validationFraction, patience, null, seed);
        if (!perSeries) {
            new WindowedTraining(forecastShape, window, horizon, options, features, name, version)
                    .trainAndWrite(data, out, w, new Bar(w));
            return 0;
        }
        String stem = out.getFileName().toString().replaceAll("\\.seqcast$", "");
        for (CsvSeries s : data) {
            String safe = s.name().replaceAll("[^A-Za-z0-9._-]", "_");
            new WindowedTraining(forecastShape, window, horizon, options, features, name + "-" + safe, version)
                    .trainAndWrite(List.of(s), out.resolveSibling(stem + "-" + safe + ".seqcast"), w, new Bar(w));
        }
        return 0;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A one-line progress bar per epoch, then the epoch's losses and per-layer gradient norms. */
    private static final class Bar implements TrainingProgress {
        private final PrintWriter w;
        private int lastDrawn = -1;

        Bar(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void iteration(int epoch, int iteration, int perEpoch, double score) {
            int filled = (int) (30.0 * iteration / Math.max(1, perEpoch));
            if (filled != lastDrawn) {
                lastDrawn = filled;
                w.printf(Locale.ROOT, "\repoch %3d [%-30s] %d/%d loss %.4f", epoch, "=".repeat(filled), iteration,
                        perEpoch, score);
                w.flush();
            }
        }

        @Override
        public void epochDone(EpochReport r) {
            lastDrawn = -1;
            String norms = r.gradientNorms().entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.3g", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
            w.printf(Locale.ROOT, "\repoch %3d train %.5f  validation %.5f%s  gradient norms: %s%n", r.epoch(),
                    r.trainLoss(), r.validationLoss(), r.improved() ? " *" : "  ", norms);
            w.flush();
        }

        @Override
        public void warning(String message) {
            w.println();
            w.println("WARNING: " + message);
            w.flush();
        }
    }
}
