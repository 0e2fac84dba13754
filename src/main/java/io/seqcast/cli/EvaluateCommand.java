package io.seqcast.cli;

import io.seqcast.app.ModelCatalog;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.evaluate.ForecastBacktest;
import io.seqcast.evaluate.ForecastPlot;
import io.seqcast.evaluate.NabRun;
import io.seqcast.evaluate.TopologyReplay;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.replay.CsvSeries;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code seqcast evaluate}: replays files through the real topology of a pipeline and measures it: {@code forecast}
 * for a rolling-origin backtest against naive baselines, {@code nab} for NAB results files, {@code classify} for
 * heartbeat detection and classification on ECG records ({@link EvaluateClassify}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a pipeline on CSV series replayed through its real topology: forecast accuracy"
                + " (rolling origin, with naive and seasonal-naive baselines and interval coverage) or NAB results.",
        subcommands = {EvaluateCommand.Forecast.class, EvaluateCommand.Nab.class, EvaluateClassify.class})
final class EvaluateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Which pipeline and model to evaluate. */
    static final class PipelineOptions {
        @Option(names = "--pipeline", paramLabel = "FILE", description = "Pipeline file whose settings are used"
                + " (default: topology/machines.yaml); its sampling interval is replaced by each file's median"
                + " spacing.")
        Path pipeline = Path.of("topology/machines.yaml");

        @Option(names = "--model", paramLabel = "FILE", description = "Model artifact (default: the pipeline's).")
        Path model;

        PipelineConfig pipeline() {
            return PipelineFiles.load(pipeline).get(0);
        }

        SequenceModel model(PipelineConfig p) throws Exception {
            return model == null ? ModelCatalog.load(List.of(p)).apply(p) : ModelArtifact.read(model).toSequenceModel();
        }
    }

    @Command(name = "forecast", mixinStandardHelpOptions = true,
            description = "Rolling-origin backtest: MAE, RMSE, sMAPE and MASE per horizon step for the engine, naive"
                    + " and seasonal naive, and interval coverage per step.")
    static final class Forecast implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        PipelineOptions options;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "CSV files (.csv or .csv.gz), one series each.")
        List<Path> files;

        @Option(names = "--time-column", description = "Time column (default: the first).")
        String timeColumn;

        @Option(names = "--value-column", description = "Value column (default: the second).")
        String valueColumn;

        @Option(names = "--season", description = "Season length in observations for seasonal naive and MASE"
                + " (default: one day of observations when the spacing is under a day, else 1).")
        Integer season;

        @Option(names = "--limit", description = "Replay only the first N rows of each file (default: all).")
        int limit = Integer.MAX_VALUE;

        @Option(names = "--skip-fraction", description = "Leading share of each file not scored, besides the warm-up"
                + " (default: 0.15, as NAB's probationary period).")
        double skipFraction = 0.15;

        @Option(names = "--plots", paramLabel = "DIR", description = "Write a PNG per file here.")
        Path plots;

        @Option(names = "--plot-rows", description = "Rows drawn in each PNG, the last of the file (default: 1000).")
        int plotRows = 1000;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            PipelineConfig template = options.pipeline();
            SequenceModel model = options.model(template);
            int horizon = template.forecast().horizon();
            for (Path file : files) {
                CsvSeries full = CsvSeries.read(file, CsvSeries.nameOf(file), timeColumn,
                        valueColumn == null ? List.of() : List.of(valueColumn));
                CsvSeries series = full.size() <= limit ? full
                        : new CsvSeries(full.name(), java.util.Arrays.copyOf(full.times(), limit),
                                java.util.Arrays.copyOf(full.values(), limit));
                var interval = TopologyReplay.medianInterval(series);
                int m = season != null ? season
                        : interval.toMillis() < 86_400_000L ? (int) (86_400_000L / interval.toMillis()) : 1;
                var replayed = TopologyReplay.run(template.withInterval(interval), model, series);
                double[] values = series.firstColumn();
                ForecastBacktest b = ForecastBacktest.of(series.name(), values, replayed.forecasts(), horizon, m,
                        (int) (skipFraction * values.length));
                report(w, b);
                if (plots != null) {
                    int to = values.length;
                    ForecastPlot.write(plots.resolve(series.name() + ".png"), series.name() + " (" + model.info().name()
                            + ")", values, replayed.forecasts(), replayed.alertOpened(), Math.max(0, to - plotRows),
                            to);
                }
            }
            w.flush();
            return 0;
        }

        private static void report(PrintWriter w, ForecastBacktest b) {
            w.printf(Locale.ROOT, "%n%s: %d origins, season %d, intervals nominal %.0f%%%n", b.series(), b.origins(),
                    b.season(), 100 * b.nominal());
            w.printf(Locale.ROOT, "%-4s %-14s %10s %10s %8s %7s %9s%n", "step", "method", "MAE", "RMSE", "sMAPE%",
                    "MASE", "coverage");
            for (int k = 0; k < b.model().horizon(); k++) {
                row(w, k, "seqcast", b.model(), String.format(Locale.ROOT, "%8.1f%%", 100 * b.coverage()[k]));
                row(w, k, "naive", b.naive(), "");
                row(w, k, "seasonal-naive", b.seasonalNaive(), "");
            }
            w.printf(Locale.ROOT, "mean MASE: seqcast %.3f, naive %.3f, seasonal naive %.3f%n", b.model().meanMase(),
                    b.naive().meanMase(), b.seasonalNaive().meanMase());
        }

        private static void row(PrintWriter w, int k, String method, ForecastBacktest.Errors e, String extra) {
            w.printf(Locale.ROOT, "%-4d %-14s %10.4g %10.4g %8.2f %7.3f %s%n", k + 1, method, e.mae(k), e.rmse(k),
                    e.smape(k), e.mase(k), extra);
        }
    }

    @Command(name = "nab", mixinStandardHelpOptions = true,
            description = "Replay every NAB data file and write NAB results files (timestamp,value,anomaly_score)."
                    + " Labels are not read.")
    static final class Nab implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        PipelineOptions options;

        @Option(names = "--nab", paramLabel = "DIR", description = "NAB tree with data/<category>/*.csv"
                + " (default: data/nab).")
        Path nab = Path.of("data/nab");

        @Option(names = "--out", paramLabel = "DIR", description = "Results directory (default: target/nab-results).")
        Path out = Path.of("target/nab-results");

        @Option(names = "--plots", paramLabel = "DIR", description = "Write a PNG per file here.")
        Path plots;

        @Option(names = "--forecasts", paramLabel = "DIR", description = "Also write each row's forecasts here"
                + " (time,value,score,f1..fH: the forecasts made at that row), for analysis.")
        Path forecastsDir;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            PipelineConfig template = options.pipeline();
            SequenceModel model = options.model(template);
            for (Path file : NabRun.dataFiles(nab)) {
                long started = System.nanoTime();
                NabRun.FileResult r = NabRun.run(template, model, nab, file, out);
                int alerts = 0;
                for (boolean a : r.replayed().alertOpened()) {
                    alerts += a ? 1 : 0;
                }
                w.printf(Locale.ROOT, "%-45s %6d rows %4d alerts %6.1f s -> %s%n", r.series().name(), r.series().size(),
                        alerts, (System.nanoTime() - started) / 1e9, r.results());
                w.flush();
                if (forecastsDir != null) {
                    NabRun.writeForecasts(forecastsDir.resolve(r.series().name() + ".csv"), r);
                }
                if (plots != null) {
                    double[] values = r.series().firstColumn();
                    ForecastPlot.write(plots.resolve(r.series().name() + ".png"), r.series().name(), values,
                            r.replayed().forecasts(), r.replayed().alertOpened(), 0, values.length);
                }
            }
            w.printf(Locale.ROOT, "score with: NAB_DIR=%s python3 nab_score.py --detector-name %s %s%n", nab,
                    NabRun.DETECTOR, out);
            w.flush();
            return 0;
        }
    }
}
