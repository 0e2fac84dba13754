package io.seqcast.cli;

import io.seqcast.bench.BenchReport;
import io.seqcast.bench.BenchReport.Options;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seqcast bench}: the engine, the Kafka Streams ceiling and the model step, measured in one run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark the real engine on a Kafka broker (its own JVM by default) with a synthetic load, the same topology with"
                        + " the model step removed, and the model step alone; print figures with their spread and the"
                        + " ratios between them (see BENCHMARKS.md; scripts/bench.sh runs it with the JVM settings).")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--series", description = "Series in the synthetic load (default: ${DEFAULT-VALUE}).")
    int series = 10_000;

    @Option(names = "--observations", description = "Observations per throughput run (default: ${DEFAULT-VALUE}).")
    long observations = 200_000;

    @Option(names = "--cell", description = "lstm or rnn (default: ${DEFAULT-VALUE}).")
    String cell = "lstm";

    @Option(names = "--hidden", split = ",", description = "Hidden units per layer (default: 64,64).")
    List<Integer> hidden = List.of(64, 64);

    @Option(names = "--guarantee", description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    String guarantee = "exactly_once_v2";

    @Option(names = "--partitions", description = "Input topic partitions (default: ${DEFAULT-VALUE}).")
    int partitions = 4;

    @Option(
            names = "--rounds",
            description =
                    "Throughput runs per variant, interleaved; 0 for latency only (default:" + " ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--step-rounds", description = "Model step rounds per candidate (default: ${DEFAULT-VALUE}).")
    int stepRounds = 5;

    @Option(names = "--batch", description = "Batch size of the batched model step (default: ${DEFAULT-VALUE}).")
    int batch = 256;

    @Option(
            names = "--latency-rate",
            description = "Observations/s of the latency runs; 0 skips them (default:" + " ${DEFAULT-VALUE}).")
    double latencyRate = 2000;

    @Option(names = "--latency-seconds", description = "Measured seconds per latency run (default: ${DEFAULT-VALUE}).")
    int latencySeconds = 20;

    @Option(
            names = "--latency-rounds",
            description = "Latency runs per settings and variant, interleaved (default:" + " ${DEFAULT-VALUE}).")
    int latencyRounds = 1;

    @Option(
            names = "--latency-settings",
            split = ",",
            description = "Latency settings to run, from defaults (commit 100 ms), tuned (commit 20 ms), commit10 and"
                    + " linger0 (commit 20 ms, producer linger.ms 0) (default: defaults,tuned,commit10).")
    List<String> latencySettings = List.of("defaults", "tuned", "commit10");

    @Option(
            names = "--broker",
            description = "Where the broker runs: apart (its own JVM, as in production) or"
                    + " inside (this process, as in the demo) (default: ${DEFAULT-VALUE}).")
    BrokerPlace broker = BrokerPlace.APART;

    /** Where the benchmark's broker runs. */
    enum BrokerPlace {
        APART,
        INSIDE
    }

    @Option(
            names = "--broker-java-opts",
            paramLabel = "OPTIONS",
            description = "JVM options of the broker apart (default: ${DEFAULT-VALUE}).")
    String brokerJavaOptions = io.seqcast.bench.BenchBroker.BROKER_JAVA_OPTS;

    @Option(names = "--skip-engine", description = "Only the model step.")
    boolean skipEngine;

    @Option(names = "--skip-step", description = "Only the engine.")
    boolean skipStep;

    @Option(names = "--no-dl4j", description = "Leave DL4J's rnnTimeStep out of the model step candidates.")
    boolean noDl4j;

    @Option(
            names = "--torch",
            paramLabel = "FILE",
            description = "JSON printed by scripts/bench_torch.py in this run, to report PyTorch beside the kernel.")
    Path torch;

    @Option(
            names = "--python-consumer",
            paramLabel = "SCRIPT",
            description = "scripts/bench_python_consumer.py: run the Python consumer baseline on the same broker and"
                    + " load in every throughput round (needs python3-torch and python3-confluent-kafka).")
    Path pythonConsumer;

    @Option(
            names = "--soak",
            paramLabel = "DURATION",
            description = "Instead of the benchmark: run the engine at --latency-rate for this long (like 30m) and"
                    + " sample resident memory every --soak-sample seconds.")
    String soak;

    @Option(names = "--soak-sample", description = "Seconds between memory samples in --soak (default: 30).")
    int soakSample = 30;

    @Option(
            names = "--capacity",
            description = "Instead of the benchmark: one engine run with the model step over --observations"
                    + " observations of --series series (like 2000000 of 1000000), then what the instance holds:"
                    + " series in its store, state directory and changelog bytes, heap, resident memory.")
    boolean capacity;

    @Option(
            names = "--learn",
            description =
                    "For --capacity and --soak: per-series learning on (learn.enabled, daily"
                            + " calendar inputs) with the machines pipeline's seasonal profiles (48 and 168 buckets) and combined"
                            + " forecasts. The throughput rounds always run the engine both ways, and the latency runs with learning.")
    boolean learn;

    @Option(
            names = "--reference",
            description = "Also run the engine with KernelModel (the reference kernel) in" + " every throughput round.")
    boolean reference;

    @Option(
            names = "--plain-cached",
            description = "Also run the plain Kafka Streams application with its store"
                    + " cached (withCachingEnabled, statestore.cache.max.bytes 64 MiB) in every throughput round.")
    boolean plainCached;

    @Option(
            names = "--blas",
            paramLabel = "NAME",
            description =
                    "The BLAS the PyTorch baselines ran on, as" + " scripts/bench.sh found it (reported beside them).")
    String blas = "BLAS not reported";

    @Option(
            names = "--variants",
            split = ",",
            paramLabel = "NAME",
            description = "Run only these throughput variants, interleaved in every round: plain (plain Kafka"
                    + " Streams), no-model, engine (learning as the bundled pipelines), no-learning, memory"
                    + " (state.store memory), no-cache (state.cache 0; in the latency runs also state.cache 4096,"
                    + " beside the engine with state.cache not set), plain-cached, reference, and two bounds of"
                    + " what persisting the state costs, no pipeline setting: engine-unlogged (series store not"
                    + " changelogged), engine-no-persist (states on the heap only). Default: all but plain-cached and"
                    + " reference (which --plain-cached and --reference add) and the bounds.")
    List<String> variants = List.of();

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the report to this file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        for (String name : latencySettings) {
            if (!BenchReport.LATENCY_SETTINGS.containsKey(name)) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--latency-settings: unknown"
                                + " setting '" + name + "'; choose from "
                                + new java.util.TreeSet<>(BenchReport.LATENCY_SETTINGS.keySet()));
            }
        }
        for (String name : variants) {
            if (!Options.VARIANTS.contains(name)) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--variants: unknown variant '" + name + "'; choose from " + Options.VARIANTS);
            }
        }
        io.seqcast.bench.EngineBench.learning(learn);
        Options o = new Options(
                series,
                observations,
                cell,
                hidden,
                guarantee,
                partitions,
                rounds,
                stepRounds,
                batch,
                latencyRate,
                latencySeconds,
                latencyRounds,
                latencySettings,
                broker == BrokerPlace.APART,
                brokerJavaOptions,
                !skipEngine,
                !skipStep,
                !noDl4j,
                torch,
                pythonConsumer,
                soak == null ? null : DemoCommand.parse(soak),
                soakSample,
                capacity,
                out,
                reference,
                blas,
                plainCached,
                variants);
        return BenchReport.run(o, spec.commandLine().getOut());
    }
}
