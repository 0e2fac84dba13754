package io.seqcast.cli;

import io.seqcast.model.CellType;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import io.seqcast.replay.CsvSeries;
import io.seqcast.training.BeatWindowTraining;
import io.seqcast.training.EpochReport;
import io.seqcast.training.ForecastTraining;
import io.seqcast.training.InterPatientTraining;
import io.seqcast.training.OutputHead;
import io.seqcast.training.TrainingData;
import io.seqcast.training.TrainingOptions;
import io.seqcast.training.TrainingProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code seqcast train}: trains one global many-to-many forecaster over CSV series, each normalised per series
 * exactly as the engine normalises it while streaming, and writes a model artifact.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a recurrent forecaster (one global model across series with per-series normalisation,"
                + " or one per series) on CSV files or a Kafka topic, and write a model artifact.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "CSV files (.csv or .csv.gz), one series each.")
    List<Path> files = List.of();

    @Option(
            names = "--from-topic",
            paramLabel = "TOPIC",
            description = "Train on the observations of this topic instead of files: it is read from its start to its"
                    + " current end, series by series (records keyed by series, JSON as the engine reads it).")
    String fromTopic;

    @Option(
            names = "--pipeline",
            paramLabel = "FILE",
            description = "With --from-topic: read the topic with this"
                    + " pipeline file's field mapping (input.fields, input.features) instead of the default one-value mapping;"
                    + " --from-topic defaults to its input topic.")
    Path pipelineFile;

    /** The Kafka cluster of --from-topic. */
    @picocli.CommandLine.Mixin
    KafkaClientOptions kafka;

    @Option(
            names = "--per-series",
            description = "Train one model per series (written as <out>-<series>.seqcast)"
                    + " instead of one global model across all series.")
    boolean perSeries;

    @Option(names = "--time-column", description = "Time column (default: the first).")
    String timeColumn;

    @Option(
            names = "--value-column",
            description = "Value column (default: the second); 'close' for stock files."
                    + " Several, comma-separated, for a windowed shape (the first is the target): close,open,high,low.")
    String valueColumn;

    @Option(
            names = "--resample-mean",
            paramLabel = "K",
            description =
                    "Downsample each series by the mean of each K"
                            + " consecutive rows before anything else, as `evaluate forecast --resample-mean` does (default: 1).")
    int resampleMean = 1;

    @Option(
            names = "--history-fraction",
            paramLabel = "F",
            description = "Train only on the first int(F * rows) rows"
                    + " of each series (after downsampling), e.g. 0.7 for the history of the evaluation protocol, so that"
                    + " nothing is fitted on the test part (default: 1, all rows).")
    double historyFraction = 1;

    @Option(
            names = "--chunks",
            paramLabel = "N",
            description =
                    "Cut each normalised series into N consecutive"
                            + " pieces trained as parallel sequences of a minibatch (the whole series is normalised first, as the"
                            + " engine streams it; each piece starts from the zero state). For a single long series (default: 1).")
    int chunks = 1;

    @Option(
            names = "--loss",
            description = "Loss of a many-to-many forecaster: mse (the conditional mean, default) or"
                    + " mae (the conditional median: for spiky series judged by absolute error, such as an ECG); the"
                    + " validation loss is the same measure.")
    String loss = "mse";

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

    @Option(
            names = "--inputs",
            description = "What a stateful (many-to-many) forecaster reads at every step: values (the normalised"
                    + " value, default) or values-and-differences (the normalised value and its first difference,"
                    + " scale-free). Recorded in the artifact: the engine computes the same inputs by itself.")
    String inputs = "values";

    @Option(
            names = "--clip-global-norm",
            paramLabel = "NORM",
            description = "Stateful forecasters: clip the whole network's gradient of the loss averaged over the"
                    + " minibatch's labelled steps to this L2 norm (as PyTorch's clip_grad_norm_), instead of the default"
                    + " per-layer clipping (default: off).")
    Double clipGlobalNorm;

    @Option(
            names = "--learning-rate-decay",
            paramLabel = "FACTOR",
            description = "Stateful forecasters: multiply the learning rate by this factor per epoch, in (0, 1]"
                    + " (default: 1, constant).")
    double learningRateDecay = 1.0;

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

    @Option(
            names = "--task",
            description = "forecast (default), heartbeats (the inter-patient beat classifier of"
                    + " raw ECG pipelines, from --records) or classify (FILE... are ECG signal CSVs, --annotations their beat"
                    + " annotations; beats cut at the annotations).")
    String task = ModelMetadata.FORECAST;

    @Option(
            names = "--shape",
            description = "many-to-many (default for forecast: stateful), many-to-one or"
                    + " encoder-decoder (a window of --window steps in, the next --horizon values out), or one-to-many (one"
                    + " observation's vector in, the next --horizon steps out); classify is always many-to-one.")
    String shape;

    @Option(names = "--window", description = "Input steps of a windowed forecaster (default: 48).")
    int window = 48;

    @Option(
            names = "--covariates",
            split = ",",
            paramLabel = "NAME",
            description =
                    "Known-ahead covariates of each observation's event time (UTC) appended to every input step of"
                            + " a windowed forecaster, recorded in the artifact: time-of-day, day-of-week (comma-separated;"
                            + " default: the --pipeline's model.covariates, else none). The pipeline serving it must set the"
                            + " same model.covariates.")
    List<String> covariates;

    @Option(
            names = "--annotations",
            split = ",",
            paramLabel = "FILE",
            description = "For --task classify: annotation CSVs, one per signal file, in the same order.")
    List<Path> annotations = List.of();

    @Option(
            names = "--test-fraction",
            description = "For --task classify: last part of every record held out for"
                    + " the reported precision and recall (default: 0.3).")
    double testFraction = 0.3;

    @Option(
            names = "--records",
            paramLabel = "DIR",
            description = "For --task heartbeats: directory of MIT-BIH"
                    + " records in the CSV form of data/ecg (<record>_signal.csv.gz and <record>_annotations.csv); its DS1"
                    + " records train.")
    Path records;

    @Option(
            names = "--folds",
            description = "For --task heartbeats: patient-wise cross-validation folds on DS1 before"
                    + " the final training (default: 0, none).")
    int folds;

    @Option(
            names = "--fold",
            description = "For --task heartbeats with --folds: run only this fold (1-based) and"
                    + " write no model, so that folds can run in parallel (default: all folds, then the final model).")
    int onlyFold;

    @Option(
            names = "--max-per-class",
            description = "For --task heartbeats: beats of each class kept per record" + " (default: 100).")
    int maxPerClass = 100;

    @Option(
            names = "--max-normal",
            description = "For --task heartbeats: N beats kept per record (default:" + " --max-per-class).")
    Integer maxNormal;

    @Option(
            names = "--class-offsets",
            split = ",",
            paramLabel = "N,S,V,F,Q",
            description = "For --task heartbeats:"
                    + " log-odds added to each class's score (the softmax layer's bias) after training, e.g. to undo the"
                    + " class balance of training; choose them by cross-validation (--predictions).")
    double[] classOffsets;

    @Option(
            names = "--shift",
            split = ",",
            paramLabel = "MODEL",
            description = "For --task heartbeats: no training; writes MODEL"
                    + " with --class-offsets added to its class scores to --out. Several models (MODEL,MODEL,...:"
                    + " classifiers of one LSTM layer of one size, e.g. trained with different --seed) become one"
                    + " ensemble network averaging their class scores, written as --model-version.")
    List<Path> shiftModel;

    @Option(
            names = "--ensemble",
            split = ",",
            paramLabel = "MODEL",
            description = "For stateful (many-to-many) LSTM forecasters: no training; merges MODEL,MODEL,... (the"
                    + " same inputs and horizon, e.g. one command trained with different --seed) into one network"
                    + " forecasting the mean of theirs (block-diagonal layers), written to --out as --name"
                    + " --model-version. A MODEL written by --ensemble counts as its members.")
    List<Path> ensemble;

    @Option(
            names = "--head",
            paramLabel = "FILE",
            description = "For --task heartbeats with --shift: a linear head (JSON: inputs, weights, bias; written by"
                    + " scripts/heartbeat-head.py) whose log-odds are added to the class scores; the artifact is"
                    + " written as format version 3. With one MODEL, the result is a new model: --model-version.")
    Path head;

    @Option(
            names = "--export-beats",
            paramLabel = "FILE",
            description = "For --task heartbeats: no training; writes every beat the detector finds in the DS1"
                    + " records of --records as CSV (record, sample, label: the AAMI class index or -1, then the"
                    + " per-beat input channels), what scripts/heartbeat-head.py fits the linear head on.")
    Path exportBeats;

    @Option(
            names = "--augment-noise",
            paramLabel = "K",
            description = "For --task heartbeats: also train on K noise-stressed copies of each training record"
                    + " (never of a held-out fold's): baseline wander, muscle-like noise and electrode-motion-like"
                    + " bursts added to both leads in random stretches of 10 to 60 s over about a third of the"
                    + " record; the beats found in those stretches, at most half of --max-normal and"
                    + " --max-per-class per copy (default: 0, none).")
    int augmentNoise;

    @Option(
            names = "--augment-snr",
            split = ",",
            paramLabel = "MIN,MAX",
            description = "For --task heartbeats with --augment-noise: the noise's signal-to-noise ratio in dB"
                    + " against the record's QRS amplitude (S = a^2/8, a the median peak-to-peak QRS amplitude, as in"
                    + " the MIT-BIH Noise Stress Test), drawn uniformly per stretch (default: 0,12).")
    double[] augmentSnr = {0, 12};

    @Option(
            names = "--predictions",
            paramLabel = "FILE",
            description = "For --task heartbeats with --folds: write"
                    + " every held-out beat's class probabilities as CSV (fold, record, sample, label, p_N..p_Q).")
    Path predictions;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if ("heartbeats".equals(task)) {
            if (shiftModel != null) {
                io.seqcast.model.LinearHead linear = head == null
                        ? null
                        : new com.fasterxml.jackson.databind.ObjectMapper()
                                .configure(
                                        com.fasterxml.jackson.databind.DeserializationFeature
                                                .FAIL_ON_UNKNOWN_PROPERTIES,
                                        true)
                                .readValue(head.toFile(), io.seqcast.model.LinearHead.class);
                return InterPatientTraining.shift(shiftModel, classOffsets, linear, version, out, w);
            }
            if (records == null) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--task heartbeats needs --records DIR (MIT-BIH records as CSV, e.g. ../shared/data/ecg)");
            }
            if (exportBeats != null) {
                return InterPatientTraining.exportBeats(records, exportBeats, w);
            }
            if (augmentNoise < 0 || augmentSnr.length != 2) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--augment-noise takes a number of copies (0 or more) and --augment-snr two values MIN,MAX in"
                                + " dB, e.g. --augment-noise 1 --augment-snr 0,12");
            }
            return InterPatientTraining.run(
                    records,
                    folds,
                    onlyFold,
                    maxNormal == null ? maxPerClass : maxNormal,
                    maxPerClass,
                    classOffsets,
                    predictions,
                    augmentNoise,
                    new io.seqcast.training.NoiseStress(augmentSnr[0], augmentSnr[1]),
                    options(0),
                    name,
                    version,
                    out,
                    w,
                    new Bar(w));
        }
        if (ensemble != null) {
            if (!ModelMetadata.FORECAST.equals(task)) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--ensemble merges forecasters; for heartbeat classifiers use --task heartbeats --shift");
            }
            return mergeForecasters(w);
        }
        if (ModelMetadata.CLASSIFY.equals(task)) {
            if (annotations.size() != files.size()) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--task classify needs one"
                                + " --annotations file per signal file; got " + files.size() + " signals and "
                                + annotations.size() + " annotation files");
            }
            if (shape != null && SequenceShape.of(shape) != SequenceShape.MANY_TO_ONE) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--task classify trains a many-to-one classifier; drop --shape or use --shape many-to-one");
            }
            BeatWindowTraining.train(files, annotations, testFraction, options(0), name, version, out, w, new Bar(w));
            return 0;
        }
        if (!ModelMetadata.FORECAST.equals(task)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "unknown --task '" + task + "'; use forecast or classify");
        }
        SequenceShape forecastShape = shape == null ? SequenceShape.MANY_TO_MANY : SequenceShape.of(shape);
        if (forecastShape != SequenceShape.MANY_TO_MANY
                && (!"values".equals(inputs) || clipGlobalNorm != null || learningRateDecay != 1.0)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--inputs, --clip-global-norm and --learning-rate-decay are for stateful (many-to-many)"
                            + " forecasters; drop them or --shape " + shape);
        }
        List<String> columns = valueColumn == null ? List.of() : List.of(valueColumn.split(","));
        io.seqcast.event.FieldMapping mapping = io.seqcast.event.FieldMapping.DEFAULT;
        if (pipelineFile != null) {
            var pipeline = io.seqcast.config.PipelineFiles.load(pipelineFile).get(0);
            mapping = pipeline.input().fields();
            fromTopic = fromTopic == null ? pipeline.input().topic() : fromTopic;
            covariates = covariates == null ? pipeline.covariates().ids() : covariates;
        }
        io.seqcast.event.Covariates known;
        try {
            known = io.seqcast.event.Covariates.of(covariates == null ? List.of() : covariates);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--covariates: " + e.getMessage());
        }
        if (chunks < 1 || resampleMean < 1 || !(historyFraction > 0 && historyFraction <= 1)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--chunks and --resample-mean must be" + " 1 or more, --history-fraction in (0, 1]");
        }
        OutputHead head = switch (loss) {
            case "mse" -> OutputHead.REGRESSION;
            case "mae" -> OutputHead.MEDIAN;
            default ->
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "unknown --loss '" + loss + "'; use mse or mae");
        };
        List<CsvSeries> data = TrainingData.history(
                fromTopic != null
                        ? TrainingData.fromTopic(kafka.properties(), fromTopic, mapping, w)
                        : TrainingData.fromFiles(files, timeColumn, columns),
                resampleMean,
                historyFraction);
        if (data.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "no training data: give CSV files, or --from-topic with --bootstrap-servers (or --command-config)");
        }
        int width = data.get(0).size() == 0 ? 1 : data.get(0).values()[0].length;
        if (forecastShape != SequenceShape.MANY_TO_MANY) {
            List<String> features = !columns.isEmpty()
                    ? columns
                    : width == 1
                            ? List.of("value")
                            : java.util.stream.IntStream.range(0, width)
                                    .mapToObj(i -> "value" + i)
                                    .toList();
            ForecastTraining.windowed(
                    data,
                    features,
                    known,
                    perSeries,
                    forecastShape,
                    window,
                    horizon,
                    options(0),
                    name,
                    version,
                    out,
                    w,
                    new Bar(w));
            return 0;
        }
        if (!known.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--covariates " + known + " are taken by windowed forecasters; add --shape many-to-one (or"
                            + " encoder-decoder, one-to-many) and serve it with mode: windowed");
        }
        if (width > 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "the stateful (many-to-many)"
                            + " forecaster is trained on one value; for several features use --shape many-to-one,"
                            + " encoder-decoder or one-to-many");
        }
        io.seqcast.model.ModelInputs modelInputs;
        try {
            modelInputs = io.seqcast.model.ModelInputs.of(inputs);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--inputs: " + e.getMessage());
        }
        if (clipGlobalNorm != null && !(clipGlobalNorm > 0 && Double.isFinite(clipGlobalNorm))) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--clip-global-norm must be a positive number, got " + clipGlobalNorm);
        }
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--learning-rate-decay must be in (0, 1] (1: constant), got " + learningRateDecay);
        }
        TrainingOptions manyToManyOptions = options(tbptt);
        if (clipGlobalNorm != null) {
            manyToManyOptions =
                    manyToManyOptions.withClipping(io.seqcast.training.GradientClipping.globalNorm(clipGlobalNorm));
        }
        ForecastTraining.manyToMany(
                data,
                perSeries,
                manyToManyOptions,
                horizon,
                chunks,
                head,
                modelInputs,
                learningRateDecay,
                name,
                version,
                out,
                w,
                new Bar(w));
        return 0;
    }

    /** {@code --ensemble}: the members merged into one artifact, written to {@code --out}. */
    private int mergeForecasters(PrintWriter w) throws java.io.IOException {
        List<io.seqcast.model.ModelArtifact> members = new java.util.ArrayList<>();
        for (Path p : ensemble) {
            members.add(io.seqcast.model.ModelArtifact.read(p));
        }
        io.seqcast.model.ModelArtifact merged;
        try {
            merged = io.seqcast.training.ForecasterEnsemble.merge(members, name, version);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ensemble: " + e.getMessage());
        }
        merged.write(out);
        ModelMetadata m = merged.metadata();
        w.printf(
                Locale.ROOT,
                "wrote %s: %s version %s, the mean of %d forecasters, LSTM %s%n",
                out,
                m.name(),
                m.version(),
                m.validationMetrics()
                        .get(io.seqcast.training.ForecasterEnsemble.MEMBERS)
                        .intValue(),
                m.hiddenSizes());
        w.flush();
        return 0;
    }

    /** The training options given, with {@code tbpttLength} (0: full backpropagation through time). */
    private TrainingOptions options(int tbpttLength) {
        return new TrainingOptions(
                cell,
                layers,
                dropout,
                learningRate,
                epochs,
                batchSize,
                tbpttLength,
                validationFraction,
                patience,
                null,
                seed);
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
                w.printf(
                        Locale.ROOT,
                        "\repoch %3d [%-30s] %d/%d loss %.4f",
                        epoch,
                        "=".repeat(filled),
                        iteration,
                        perEpoch,
                        score);
                w.flush();
            }
        }

        @Override
        public void epochDone(EpochReport r) {
            lastDrawn = -1;
            String norms = r.gradientNorms().entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.3g", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
            w.printf(
                    Locale.ROOT,
                    "\repoch %3d train %.5f  validation %.5f%s  gradient norms: %s%n",
                    r.epoch(),
                    r.trainLoss(),
                    r.validationLoss(),
                    r.improved() ? " *" : "  ",
                    norms);
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
