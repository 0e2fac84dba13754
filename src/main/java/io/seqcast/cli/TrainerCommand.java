package io.seqcast.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seqcast.config.ConfigProblem;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.InvalidConfigurationException;
import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.metrics.EngineBinders;
import io.seqcast.metrics.HttpEndpoint;
import io.seqcast.model.ModelArtifact;
import io.seqcast.trainer.ChampionChallenger;
import io.seqcast.trainer.ContinualTrainer;
import io.seqcast.trainer.Judge;
import io.seqcast.trainer.RecentWindows;
import io.seqcast.trainer.TrainerDecision;
import io.seqcast.trainer.TrainerMetrics;
import io.seqcast.trainer.WarmStart;
import io.seqcast.training.TrainingOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqcast trainer}: the continual trainer of one pipeline. A command of its own rather than a mode of
 * {@code run}: training is minutes of CPU that must not stall the stream threads, and it scales apart (one trainer
 * per pipeline, any number of engine instances).
 */
@Command(
        name = "trainer",
        mixinStandardHelpOptions = true,
        description = "Retrain a pipeline's model from its input topic on a schedule or on drift, and publish the"
                + " new version to the models topic only when it beats the serving version on the held-back end of"
                + " every judged series (champion/challenger).")
final class TrainerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions options;

    @Option(
            names = "--pipeline",
            required = true,
            paramLabel = "NAME",
            description = "The pipeline (name) among --pipelines whose model is retrained.")
    String pipeline;

    @Option(names = "--every", paramLabel = "DURATION", description = "Run on this schedule (ISO-8601, PT1H).")
    Duration every;

    @Option(
            names = "--drift-factor",
            description = "Run when the serving model's recent one-step error is above"
                    + " this multiple of its longer-run error (mean over series); 0: no drift trigger (default).")
    double driftFactor;

    @Option(names = "--drift-recent", description = "Observations per series that count as recent (default: 100).")
    int driftRecent = 100;

    @Option(names = "--check-every", paramLabel = "DURATION", description = "Drift check interval (default: PT5M).")
    Duration checkEvery = Duration.ofMinutes(5);

    @Option(
            names = "--cooldown",
            paramLabel = "DURATION",
            description = "At least this long after a run before drift triggers another (default: PT1H).")
    Duration cooldown = Duration.ofHours(1);

    @Option(names = "--once", description = "Read the input topic to its end, run once, print the decision, exit.")
    boolean once;

    @Option(names = "--window", description = "Most recent observations kept per series (default: 2000).")
    int window = 2000;

    @Option(
            names = "--max-series",
            description = "Series kept at most; the longest silent is dropped (default:" + " 1000).")
    int maxSeries = 1000;

    @Option(
            names = "--holdout",
            description =
                    "Last observations of every series held back for judging, never" + " trained on (default: 200).")
    int holdout = 200;

    @Option(
            names = "--min-train",
            description = "Observations a series needs before its held-back stretch to be"
                    + " trained on and judged (default: 300).")
    int minTrain = 300;

    @Option(
            names = "--rule",
            description = "every (default): the challenger must be better on every judged series;"
                    + " aggregate: lower mean MASE and no series worse than --tolerance.")
    Judge.Rule rule = Judge.Rule.EVERY;

    @Option(
            names = "--tolerance",
            description = "With --rule aggregate: how much worse (fraction) the challenger may"
                    + " be on one series (default: 0.02).")
    double tolerance = 0.02;

    @Option(names = "--epochs", description = "Epochs at most per run (default: 5).")
    int epochs = 5;

    @Option(names = "--patience", description = "Epochs without improvement before stopping (default: 2).")
    int patience = 2;

    @Option(names = "--learning-rate", description = "Adam learning rate (default: 0.002).")
    double learningRate = 0.002;

    @Option(names = "--batch-size", description = "Series per minibatch (default: 16).")
    int batchSize = 16;

    @Option(names = "--tbptt", description = "Truncated BPTT length (default: 100).")
    int tbptt = 100;

    @Option(
            names = "--validation-fraction",
            description = "Last part of each training part used for early stopping" + " (default: 0.2).")
    double validationFraction = 0.2;

    @Option(names = "--seed", description = "Seed (default: 42).")
    long seed = 42;

    @Option(
            names = "--cold",
            description = "Train every challenger from a random initialisation instead of the"
                    + " serving model's parameters.")
    boolean cold;

    @Override
    public Integer call() throws Exception {
        EngineConfig config = options.toConfig(Map.of());
        List<PipelineConfig> pipelines = PipelineFiles.load(config.pipelines());
        PipelineConfig p = pipelines.stream()
                .filter(x -> x.name().equals(pipeline))
                .findFirst()
                .orElseThrow(() -> new InvalidConfigurationException(List.of(new ConfigProblem(
                        "--pipeline",
                        "pipeline",
                        "no pipeline '" + pipeline + "' in " + config.pipelines(),
                        "use one of "
                                + pipelines.stream().map(PipelineConfig::name).toList()))));
        ModelArtifact fileModel = ModelArtifact.read(p.modelArtifact());
        List<ConfigProblem> problems = new ArrayList<>();
        if (p.mode() != PipelineConfig.Mode.STATEFUL) {
            problems.add(new ConfigProblem(
                    p.source().toString(),
                    "mode",
                    "the continual trainer retrains stateful" + " pipelines' models; this one is "
                            + p.mode().name().toLowerCase(java.util.Locale.ROOT),
                    "run the trainer for a stateful pipeline"));
        }
        try {
            WarmStart.horizonOf(fileModel.metadata());
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(
                    p.source().toString(),
                    "model.artifact",
                    e.getMessage(),
                    "point model.artifact at a model made by 'seqcast train' (many-to-many, one feature)"));
        }
        if (every == null && driftFactor <= 0 && !once) {
            problems.add(new ConfigProblem(
                    "command line",
                    "--every",
                    "no trigger: neither --every, --drift-factor" + " nor --once",
                    "add --every PT1H, --drift-factor 1.5, or --once"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        TrainingOptions training = new TrainingOptions(
                fileModel.metadata().cell(),
                fileModel.metadata().hiddenSizes(),
                0,
                learningRate,
                epochs,
                batchSize,
                tbptt,
                validationFraction,
                patience,
                null,
                seed);
        ChampionChallenger runner = new ChampionChallenger(
                new ChampionChallenger.Settings(p.forecast().horizon(), holdout, minTrain, new Judge(rule, tolerance)),
                new WarmStart(training, !cold));
        RecentWindows windows = new RecentWindows(window, maxSeries);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", config.applicationId() + "-trainer");
        TrainerMetrics metrics = new TrainerMetrics(registry, p.name(), windows);
        PrintWriter out = spec.commandLine().getOut();
        try (ContinualTrainer trainer = new ContinualTrainer(
                config.clientProperties(), config.modelsTopic(), p, fileModel, windows, runner, metrics)) {
            if (once) {
                trainer.catchUp();
                TrainerDecision d = trainer.runOnce("once");
                out.println(d.summary());
                out.flush();
                return 0;
            }
            EngineBinders.bindJvm(registry);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch stopped = new CountDownLatch(1);
            try (HttpEndpoint http = HttpEndpoint.start(
                    config.httpBindAddress(),
                    config.httpPort(),
                    registry,
                    () -> trainer.caughtUp() ? KafkaStreams.State.RUNNING : KafkaStreams.State.REBALANCING)) {
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> {
                                    stop.set(true);
                                    try {
                                        stopped.await();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "seqcast-trainer-shutdown"));
                out.printf(
                        "seqcast trainer: pipeline %s, reading %s; metrics on http://%s:%d/metrics%n",
                        p.name(), p.input().topic(), config.httpBindAddress(), http.port());
                out.flush();
                trainer.run(
                        new ContinualTrainer.Schedule(every, driftFactor, driftRecent, checkEvery, cooldown),
                        stop::get);
            } finally {
                stopped.countDown();
            }
        }
        return 0;
    }
}
