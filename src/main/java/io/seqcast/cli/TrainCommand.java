package io.seqcast.cli;

import io.seqcast.forecast.Normalizer;
import io.seqcast.model.CellType;
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
        description = "Train a recurrent forecaster (one global model across series, per-series normalisation) on CSV"
                + " files and write a model artifact.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "CSV files (.csv or .csv.gz), one series each.")
    List<Path> files;

    @Option(names = "--time-column", description = "Time column (default: the first).")
    String timeColumn;

    @Option(names = "--value-column", description = "Value column (default: the second); 'close' for stock files.")
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

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        List<float[]> series = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (Path file : files) {
            CsvSeries s = CsvSeries.read(file, CsvSeries.nameOf(file), timeColumn,
                    valueColumn == null ? List.of() : List.of(valueColumn));
            series.add(Normalizer.normalizeSeries(s.firstColumn()));
            fingerprint.update(file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            fingerprint.update(Files.readAllBytes(file));
            w.printf(Locale.ROOT, "series %-45s %7d observations%n", s.name(), s.size());
        }
        TrainingOptions options = new TrainingOptions(cell, layers, dropout, learningRate, epochs, batchSize, tbptt,
                validationFraction, patience, null, seed);
        w.printf(Locale.ROOT, "training %s %s, horizon %d, up to %d epochs (seed %d)%n", cell, layers, horizon, epochs,
                seed);
        w.flush();
        TrainingResult result = new Trainer(options).train(series, horizon, new Bar(w));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_mse", result.bestValidationLoss());
        metrics.put("naive_validation_mse", result.naiveValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        ModelInfo info = new ModelInfo(name, version, cell, layers, 1, horizon);
        Map<String, Object> normalisation = new LinkedHashMap<>();
        normalisation.put("method", "causal exponentially weighted z-score, per series");
        normalisation.put("memory", Normalizer.MEMORY);
        normalisation.put("clip", (double) Normalizer.CLIP);
        ModelMetadata metadata = ModelMetadata.of(info, List.of("value"), horizon, 0, normalisation,
                "sha256:" + HexFormat.of().formatHex(fingerprint.digest()) + " over "
                        + files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(",")),
                metrics, Instant.now());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ModelArtifact.of(result.network(), metadata).write(out);
        w.printf(Locale.ROOT, "best epoch %d: validation MSE %.5f (naive last value %.5f)%s; wrote %s%n",
                result.bestEpoch(), result.bestValidationLoss(), result.naiveValidationLoss(),
                result.stoppedEarly() ? ", stopped early" : "", out);
        w.flush();
        return 0;
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
