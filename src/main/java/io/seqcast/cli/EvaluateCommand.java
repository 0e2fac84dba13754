package io.seqcast.cli;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.evaluate.ForecastEvaluation;
import io.seqcast.evaluate.ForecastPlot;
import io.seqcast.evaluate.ForecastReport;
import io.seqcast.evaluate.NabRun;
import io.seqcast.evaluate.ScorerFiles;
import io.seqcast.evaluate.TopologyReplay;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.registry.ModelCatalog;
import io.seqcast.replay.CsvSeries;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code seqcast evaluate}: replays files through the real topology of a pipeline and measures it: {@code forecast}
 * for accuracy on the reference protocol beside classical methods ({@link ForecastEvaluation}), {@code nab} for NAB
 * results files, {@code classify} for heartbeat detection and classification on ECG records ({@link EvaluateClassify}).
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Measure a pipeline on CSV series replayed through its real topology: forecast accuracy"
                + " (reference protocol, beside naive, seasonal naive, ETS and a linear autoregression) or NAB"
                + " results, or heartbeat detection and classification on ECG records.",
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
        @Option(
                names = "--pipeline",
                paramLabel = "FILE",
                description = "Pipeline file whose settings are used"
                        + " (default: topology/machines.yaml); its sampling interval is replaced by each file's median"
                        + " spacing.")
        Path pipeline = Path.of("topology/machines.yaml");

        @Option(names = "--model", paramLabel = "FILE", description = "Model artifact (default: the pipeline's).")
        Path model;

        PipelineConfig pipeline() {
            return PipelineFiles.load(pipeline).get(0);
        }

        SequenceModel model(PipelineConfig p) throws Exception {
            return model == null
                    ? ModelCatalog.load(List.of(p)).apply(p)
                    : ModelCatalog.fromArtifact(ModelArtifact.read(model));
        }
    }

    @Command(
            name = "forecast",
            mixinStandardHelpOptions = true,
            description = "Forecast accuracy on the reference protocol: the first 70%% of each series is history, every"
                    + " later row a target, scored at steps 1..H with the forecast made H rows before it. MAE, RMSE,"
                    + " MASE (scaled by the mean absolute one-step change over the history) and 90%% interval coverage"
                    + " for naive, seasonal naive, ETS and a linear autoregression (both fitted on the history only),"
                    + " the engine's model alone (forecast.combine: false) and what seqcast publishes (the pipeline"
                    + " as configured, replayed through its real topology).")
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

        @Option(
                names = "--resample-mean",
                paramLabel = "K",
                description = "Downsample by the mean of each K"
                        + " consecutive rows, timed at the last of them (default: 1, as read).")
        int resampleMean = 1;

        @Option(
                names = "--limit",
                paramLabel = "N",
                description = "Evaluate only the first N rows of each series," + " after downsampling (default: all).")
        int limit = Integer.MAX_VALUE;

        @Option(
                names = "--season",
                paramLabel = "M",
                description = "Season length in rows, after downsampling, for"
                        + " seasonal naive, ETS and the autoregression's seasonal lags; 1 for none (default: one day of rows"
                        + " when the spacing is under a day, else 1).")
        Integer season;

        @Option(
                names = "--horizon",
                paramLabel = "H",
                description = "Steps scored (default: the pipeline's horizon);"
                        + " the engine is scored on at most the steps its model forecasts.")
        Integer horizon;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure here as JSON.")
        Path json;

        @Option(
                names = "--forecasts",
                paramLabel = "DIR",
                description = "Write <series>.data.csv (the series as"
                        + " evaluated) and <series>.csv (what seqcast published at each row: time,value,score,f1..fH) here,"
                        + " the inputs of an independent scorer.")
        Path forecastsDir;

        @Option(names = "--plots", paramLabel = "DIR", description = "Write a PNG per series here.")
        Path plots;

        @Option(names = "--plot-rows", description = "Rows drawn in each PNG, the last of the series (default: 2000).")
        int plotRows = 2000;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            PipelineConfig template = options.pipeline();
            SequenceModel model = options.model(template);
            int h = horizon != null ? horizon : template.forecast().horizon();
            if (h < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--horizon must be 1 or more");
            }
            List<ForecastEvaluation> results = new ArrayList<>();
            for (Path file : files) {
                CsvSeries series = CsvSeries.read(
                                file,
                                CsvSeries.nameOf(file),
                                timeColumn,
                                valueColumn == null ? List.of() : List.of(valueColumn))
                        .meanOf(resampleMean)
                        .head(limit);
                int m = season != null ? season : defaultSeason(series);
                if (m < 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--season must be 1 or more");
                }
                long started = System.nanoTime();
                ForecastEvaluation e = ForecastEvaluation.run(series, m, h, template, model);
                results.add(e);
                ForecastReport.series(w, e, (System.nanoTime() - started) / 1e9);
                w.flush();
                if (forecastsDir != null) {
                    ScorerFiles.write(forecastsDir, series, e.published().forecasts());
                }
                if (plots != null) {
                    double[] values = series.firstColumn();
                    int to = values.length;
                    ForecastPlot.write(
                            plots.resolve(series.name() + ".png"),
                            series.name() + ": what seqcast" + " publishes (model "
                                    + model.info().name() + ")",
                            series.times(),
                            values,
                            e.published().forecasts(),
                            e.published().alertOpened(),
                            Math.max(0, to - plotRows),
                            to,
                            e.protocol().trainSize());
                }
            }
            ForecastReport.summary(w, results);
            if (json != null) {
                ForecastReport.writeJson(json, results);
            }
            w.flush();
            return 0;
        }

        private static int defaultSeason(CsvSeries series) {
            long interval = TopologyReplay.medianInterval(series).toMillis();
            return interval < 86_400_000L ? (int) (86_400_000L / interval) : 1;
        }
    }

    @Command(
            name = "nab",
            mixinStandardHelpOptions = true,
            description = "Replay every NAB data file and write NAB results files (timestamp,value,anomaly_score)."
                    + " Labels are not read.")
    static final class Nab implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        PipelineOptions options;

        @Option(
                names = "--nab",
                paramLabel = "DIR",
                description = "NAB tree with data/<category>/*.csv" + " (default: data/nab).")
        Path nab = Path.of("data/nab");

        @Option(names = "--out", paramLabel = "DIR", description = "Results directory (default: target/nab-results).")
        Path out = Path.of("target/nab-results");

        @Option(names = "--plots", paramLabel = "DIR", description = "Write a PNG per file here.")
        Path plots;

        @Option(
                names = "--forecasts",
                paramLabel = "DIR",
                description = "Also write each row's forecasts here"
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
                w.printf(
                        Locale.ROOT,
                        "%-45s %6d rows %4d alerts %6.1f s -> %s%n",
                        r.series().name(),
                        r.series().size(),
                        alerts,
                        (System.nanoTime() - started) / 1e9,
                        r.results());
                w.flush();
                if (forecastsDir != null) {
                    NabRun.writeForecasts(forecastsDir.resolve(r.series().name() + ".csv"), r);
                }
                if (plots != null) {
                    double[] values = r.series().firstColumn();
                    ForecastPlot.write(
                            plots.resolve(r.series().name() + ".png"),
                            r.series().name(),
                            r.series().times(),
                            values,
                            r.replayed().forecasts(),
                            r.replayed().alertOpened(),
                            0,
                            values.length,
                            -1);
                }
            }
            w.printf(
                    Locale.ROOT,
                    "score with: NAB_DIR=%s python3 nab_score.py --detector-name %s %s%n",
                    nab,
                    NabRun.DETECTOR,
                    out);
            w.flush();
            return 0;
        }
    }
}
