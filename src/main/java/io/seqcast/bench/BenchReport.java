package io.seqcast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqcast.kernel.Kernels;
import io.seqcast.kernel.VectorKernel;
import io.seqcast.model.CellType;
import io.seqcast.model.KernelModel;
import io.seqcast.model.SequenceModel;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Runs {@code seqcast bench} and writes its report: figures with their spread, and ratios measured in one run. */
public final class BenchReport {

    /** The command's options. */
    public record Options(
            int series,
            long observations,
            String cell,
            List<Integer> hidden,
            String guarantee,
            int partitions,
            int rounds,
            int stepRounds,
            int batch,
            double latencyRate,
            int latencySeconds,
            int latencyRounds,
            List<String> latencySettings,
            boolean brokerApart,
            String brokerJavaOptions,
            boolean engine,
            boolean step,
            boolean dl4j,
            Path torch,
            Path pythonConsumer,
            Duration soak,
            int soakSample,
            boolean capacity,
            Path out,
            boolean reference,
            String blas,
            boolean cacheVariant,
            List<String> variants) {

        /** The throughput variants of {@code --variants}, by their short names. */
        public static final List<String> VARIANTS = List.of(
                "plain",
                "no-model",
                "engine",
                "no-learning",
                "memory",
                "no-cache",
                "plain-cached",
                "reference",
                "engine-unlogged",
                "engine-no-persist");

        /** Whether the throughput rounds run the variant {@code name} (one of {@link #VARIANTS}). */
        public boolean runs(String name) {
            if (variants != null && !variants.isEmpty()) {
                return variants.contains(name);
            }
            return switch (name) {
                case "plain-cached" -> cacheVariant;
                case "reference" -> reference;
                case "engine-unlogged", "engine-no-persist" -> false; // bounds, run when named
                default -> true;
            };
        }
    }

    private BenchReport() {}

    public static int run(Options o, PrintWriter console) throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter r = new PrintWriter(text, true) {
            @Override
            public void println(String x) {
                super.println(x);
                console.println(x);
                console.flush();
            }
        };
        CellType cell = CellType.valueOf(o.cell().toUpperCase(Locale.ROOT));
        MultiLayerNetwork net = Networks.build(NetworkSpec.of(cell, o.hidden(), 1, 6, 1));
        SequenceModel kernel = Kernels.best(net, "bench", "1");
        SequenceModel reference = KernelModel.fromNetwork(net, "bench", "1");
        r.println("# seqcast bench " + Instant.now());
        r.println();
        r.println("- machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, load average " + loadAverage() + " at start");
        r.println("- JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", max heap "
                + mib(Runtime.getRuntime().maxMemory()) + ", "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        r.println("- kernel: " + kernel.getClass().getSimpleName()
                + (Kernels.vectorApiAvailable() ? " (" + VectorKernel.lanes() + " float lanes)" : " (no Vector API)"));
        r.println("- model: " + cell + " " + o.hidden() + ", 1 input, 6 outputs, " + kernel.stateSize()
                + " state floats; stored state per series " + EngineBench.stateBytes(kernel) + " bytes (serialized"
                + " SeriesState: hidden state, pending forecasts, statistics)");
        if (o.soak() != null) {
            soak(o, kernel, r);
            return finish(o, text);
        }
        if (o.capacity()) {
            capacity(o, kernel, r);
            return finish(o, text);
        }
        if (o.step()) {
            stepSection(o, net, r);
        }
        if (o.engine()) {
            engineSection(o, kernel, reference, r);
        }
        r.println();
        r.println("- load average at end " + loadAverage());
        return finish(o, text);
    }

    private static int finish(Options o, StringWriter text) throws java.io.IOException {
        if (o.out() != null) {
            if (o.out().getParent() != null) {
                Files.createDirectories(o.out().getParent());
            }
            Files.writeString(o.out(), text.toString());
        }
        return 0;
    }

    private static void stepSection(Options o, MultiLayerNetwork net, PrintWriter r) {
        r.println();
        r.println("## Model step alone (one thread; key-steps per second of that thread's CPU time)");
        r.println();
        var results = ModelStepBench.run(
                ModelStepBench.candidates(net, o.series(), o.batch(), o.dl4j()), o.stepRounds(), 1000, null);
        r.println("| candidate | batch | key-steps/s median [min..max] | µs per key-step |");
        r.println("|---|---:|---|---:|");
        Map<String, ModelStepBench.Result> byName = new LinkedHashMap<>();
        for (var res : results) {
            byName.put(res.name(), res);
            r.println(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %.2f |",
                    res.name(),
                    res.batch(),
                    res.keyStepsPerSecond().format(""),
                    res.microsPerKeyStep()));
        }
        JsonNode torch = readTorch(o.torch());
        if (torch != null
                && !List.of("OpenBLAS", "MKL").contains(torch.path("blas").asText())) {
            r.println("| PyTorch | | not reported: it ran on "
                    + torch.path("blas").asText("an unknown BLAS") + ", not OpenBLAS | |");
            torch = null;
        }
        double torchBatched = Double.NaN;
        double torchOne = Double.NaN;
        if (torch != null) {
            for (String key : List.of("one series", "batched")) {
                JsonNode t = torch.get(key);
                Spread s = new Spread(
                        t.get("median").asDouble(),
                        t.get("min").asDouble(),
                        t.get("max").asDouble(),
                        t.get("runs").asInt());
                r.println(String.format(
                        Locale.ROOT,
                        "| PyTorch %s (%d thread, %s), %s | %d | %s | %.2f |",
                        torch.get("torch").asText(),
                        torch.get("threads").asInt(),
                        torch.path("blas").asText("BLAS unknown"),
                        key,
                        t.get("batch").asInt(),
                        s.format(""),
                        1e6 / s.median()));
                if (key.equals("batched")) {
                    torchBatched = s.median();
                } else {
                    torchOne = s.median();
                }
            }
        } else if (o.torch() == null) {
            r.println("| PyTorch | | not measured (python3-torch absent, or no --torch file) | |");
        }
        String best = results.get(0).name();
        double kernelOne = results.get(0).keyStepsPerSecond().median();
        r.println();
        r.println("Ratios (same run, medians):");
        r.println(String.format(
                Locale.ROOT,
                "- %s vs KernelModel (reference), per event: %.1fx",
                best,
                kernelOne
                        / byName.get("KernelModel (reference), per event")
                                .keyStepsPerSecond()
                                .median()));
        if (!Double.isNaN(torchBatched)) {
            r.println(String.format(
                    Locale.ROOT,
                    "- %s vs PyTorch batched (B=%d, 1 thread, %s): %.2fx;" + " vs PyTorch one series: %.1fx",
                    best,
                    o.batch(),
                    o.blas(),
                    kernelOne / torchBatched,
                    kernelOne / torchOne));
            ModelStepBench.Result vectorBatched = byName.get("vector kernel, batched");
            if (vectorBatched != null) {
                r.println(String.format(
                        Locale.ROOT,
                        "- vector kernel, batched vs PyTorch batched (both B=%d, 1 thread): %.2fx (target >= 3x)",
                        o.batch(),
                        vectorBatched.keyStepsPerSecond().median() / torchBatched));
            }
        }
        ModelStepBench.Result dl4jBatched = byName.get("DL4J rnnTimeStep, batched");
        if (dl4jBatched != null) {
            r.println(String.format(
                    Locale.ROOT,
                    "- %s vs DL4J rnnTimeStep batched (B=%d): %.1fx; vs DL4J one" + " series: %.0fx",
                    best,
                    o.batch(),
                    kernelOne / dl4jBatched.keyStepsPerSecond().median(),
                    kernelOne
                            / byName.get("DL4J rnnTimeStep, one series")
                                    .keyStepsPerSecond()
                                    .median()));
        }
    }

    private static void engineSection(Options o, SequenceModel kernel, SequenceModel reference, PrintWriter r)
            throws Exception {
        Path work = Files.createTempDirectory("seqcast-bench");
        try (BenchBroker broker = BenchBroker.start(o.brokerApart(), o.partitions(), o.brokerJavaOptions())) {
            EngineBench bench = new EngineBench(broker.bootstrapServers(), work);
            EngineBench.Load load =
                    new EngineBench.Load(o.series(), o.observations(), o.partitions(), o.guarantee(), 100);
            // the latency runs' variants: the no-model topology, and the engine as the bundled pipelines run it
            // (state.cache not set: the cache follows the commit interval); with no-cache among the variants, also
            // the engine with state.cache 0 and with state.cache set to the default size, so that the cache is
            // measured at every commit interval whichever way the default goes
            List<LatencyVariant> variants = new ArrayList<>();
            variants.add(new LatencyVariant("no model step", new NoStepModel(kernel), false, 0));
            variants.add(new LatencyVariant(
                    "engine: " + kernel.getClass().getSimpleName() + ", learning, state.cache not set",
                    kernel,
                    true,
                    io.seqcast.config.PipelineConfig.STATE_CACHE_BY_COMMIT_INTERVAL));
            if (o.runs("no-cache")) {
                variants.add(new LatencyVariant(
                        "engine: " + kernel.getClass().getSimpleName() + ", learning, state.cache 0", kernel, true, 0));
                variants.add(new LatencyVariant(
                        "engine: " + kernel.getClass().getSimpleName() + ", learning, state.cache "
                                + io.seqcast.config.PipelineConfig.DEFAULT_STATE_CACHE,
                        kernel,
                        true,
                        io.seqcast.config.PipelineConfig.DEFAULT_STATE_CACHE));
            }
            String plain = "plain Kafka Streams";
            String noModel = "no model step";
            String engine = "engine: " + kernel.getClass().getSimpleName() + ", learning (bundled pipelines)";
            String noLearning = "engine: " + kernel.getClass().getSimpleName() + ", learning off";
            String ref = "engine: KernelModel (reference), learning off";
            Map<String, ThroughputRun> throughput = new LinkedHashMap<>();
            String memory = "engine: " + kernel.getClass().getSimpleName() + ", learning, state.store memory";
            String noCache = "engine: " + kernel.getClass().getSimpleName() + ", learning, state.cache 0";
            String plainCached = "plain Kafka Streams, record cache 64 MiB";
            String unlogged = "bound: engine, learning, series store not changelogged";
            String noPersist = "bound: engine, learning, states on the heap only (no store, no encoding)";
            if (o.runs("plain")) {
                throughput.put(plain, l -> bench.plainStreams(plain, l));
            }
            if (o.runs("no-model")) {
                throughput.put(noModel, l -> bench.throughput(noModel, new NoStepModel(kernel), l, false));
            }
            if (o.runs("engine")) {
                throughput.put(engine, l -> bench.throughput(engine, kernel, l, true));
            }
            if (o.runs("no-learning")) {
                throughput.put(noLearning, l -> bench.throughput(noLearning, kernel, l, false));
            }
            if (o.runs("memory")) {
                throughput.put(
                        memory,
                        l -> bench.throughput(
                                memory, kernel, l, true, io.seqcast.config.PipelineConfig.StateStore.MEMORY));
            }
            if (o.runs("no-cache")) {
                throughput.put(
                        noCache,
                        l -> bench.throughput(
                                noCache, kernel, l, true, io.seqcast.config.PipelineConfig.StateStore.ROCKSDB, 0));
            }
            if (o.runs("plain-cached")) {
                throughput.put(plainCached, l -> bench.plainStreams(plainCached, l, 64L << 20));
            }
            if (o.runs("reference")) {
                throughput.put(ref, l -> bench.throughput(ref, reference, l, false));
            }
            if (o.runs("engine-unlogged")) {
                throughput.put(
                        unlogged, l -> bench.throughput(unlogged, kernel, l, true, EngineBench.Persistence.UNLOGGED));
            }
            if (o.runs("engine-no-persist")) {
                throughput.put(
                        noPersist,
                        l -> bench.throughput(noPersist, kernel, l, true, EngineBench.Persistence.HEAP_ONLY));
            }
            r.println();
            r.println("## Engine: " + o.series() + " series, " + o.observations() + " observations preloaded, "
                    + o.guarantee() + ", " + o.partitions() + " partitions, 1 stream thread; " + broker.describe());
            r.println();
            List<String> names = variants.stream().map(LatencyVariant::name).toList();
            if (o.rounds() > 0) { // --rounds 0: latency only
                List<ThroughputRun> each = List.copyOf(throughput.values());
                EngineBench.Load warmLoad = new EngineBench.Load(
                        o.series(), Math.min(o.observations(), 50_000), o.partitions(), o.guarantee(), 100);
                Settled warm = settle(i -> each.get(i % each.size()).run(warmLoad), each.size());
                r.println("Throughput: forecasts read back (read_committed) per second, first to last; " + o.rounds()
                        + " rounds, variants interleaved, after " + warm + ". CPU in cores of this whole process"
                        + " (engine, load generator"
                        + " and reader" + (o.brokerApart() ? "" : ", broker") + " together); heap used and resident"
                        + " memory after the run; load average (1 min) at the end of each round: ");
                Map<String, List<EngineBench.Run>> runs = new LinkedHashMap<>();
                throughput.keySet().forEach(k -> runs.put(k, new ArrayList<>()));
                boolean python = o.pythonConsumer() != null && Files.isReadable(o.pythonConsumer());
                double[] pythonRates = new double[python ? o.rounds() : 0];
                List<String> loads = new ArrayList<>();
                for (int round = 0; round < o.rounds(); round++) {
                    for (var v : throughput.entrySet()) {
                        runs.get(v.getKey()).add(v.getValue().run(load));
                    }
                    if (python) {
                        pythonRates[round] = bench.pythonConsumer(o.pythonConsumer(), load);
                    }
                    loads.add(loadAverage());
                }
                r.println(String.join(", ", loads) + ".");
                r.println();
                r.println("| variant | events/s median [min..max] | per round | CPU cores | heap used MiB | RSS MiB |");
                r.println("|---|---|---|---:|---:|---:|");
                for (var e : runs.entrySet()) {
                    List<EngineBench.Run> rs = e.getValue();
                    r.println(String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %.2f | %d | %d |",
                            e.getKey(),
                            Spread.of(rates(rs)).format(""),
                            String.join(
                                    ", ",
                                    java.util.Arrays.stream(rates(rs))
                                            .mapToObj(Spread::human)
                                            .toList()),
                            Spread.of(rs.stream()
                                            .mapToDouble(EngineBench.Run::cpuCores)
                                            .toArray())
                                    .median(),
                            rs.get(rs.size() - 1).heapUsed() >> 20,
                            rs.get(rs.size() - 1).resident() >> 20));
                }
                if (python) {
                    r.println(String.format(
                            Locale.ROOT,
                            "| Python consumer (confluent-kafka, PyTorch LSTM step per"
                                    + " message, per-key state in a dict; %s) | %s | %s | | | |",
                            o.blas(),
                            Spread.of(pythonRates).format(""),
                            String.join(
                                    ", ",
                                    java.util.Arrays.stream(pythonRates)
                                            .mapToObj(Spread::human)
                                            .toList())));
                }
                r.println();
                r.println("Ratios per round (runs of the same round), median [min..max]:");
                ratioLine(r, runs, "", engine, plain, " (target >= 1.3)");
                ratioLine(r, runs, "", noModel, plain, "");
                ratioLine(r, runs, "", noLearning, plain, "");
                ratioLine(r, runs, "", engine, noModel, "");
                ratioLine(r, runs, "", noLearning, noModel, "");
                ratioLine(r, runs, "learning's cost: ", engine, noLearning, "");
                ratioLine(r, runs, "", memory, plain, "");
                ratioLine(r, runs, "", memory, engine, "");
                ratioLine(r, runs, "", noCache, plain, "");
                ratioLine(r, runs, "the decoded state cache: ", engine, noCache, "");
                ratioLine(r, runs, "", plainCached, plain, "");
                ratioLine(r, runs, "", ref, noModel, "");
                ratioLine(r, runs, "", unlogged, plain, "");
                ratioLine(r, runs, "", unlogged, engine, "");
                ratioLine(r, runs, "", noPersist, plain, "");
                ratioLine(r, runs, "", noPersist, engine, "");
                if (python && runs.containsKey(engine) && runs.containsKey(plain)) {
                    double[] vsPython = new double[o.rounds()];
                    double[] plainVsPython = new double[o.rounds()];
                    for (int i = 0; i < o.rounds(); i++) {
                        vsPython[i] = runs.get(engine).get(i).eventsPerSecond() / pythonRates[i];
                        plainVsPython[i] = runs.get(plain).get(i).eventsPerSecond() / pythonRates[i];
                    }
                    r.println("- " + engine + " vs the Python consumer (" + o.blas() + "), per round: "
                            + Spread.of(vsPython).format("") + " (target >= 4x)");
                    r.println("- " + plain + " vs the Python consumer, per round: "
                            + Spread.of(plainVsPython).format(""));
                    for (String bound : List.of(unlogged, noPersist)) {
                        if (runs.containsKey(bound)) {
                            double[] boundVsPython = new double[o.rounds()];
                            for (int i = 0; i < o.rounds(); i++) {
                                boundVsPython[i] = runs.get(bound).get(i).eventsPerSecond() / pythonRates[i];
                            }
                            r.println("- " + bound + " vs the Python consumer, per round: "
                                    + Spread.of(boundVsPython).format(""));
                        }
                    }
                } else {
                    r.println("- Python consumer: not measured in this run (scripts/bench.sh runs it with"
                            + " python3-torch, python3-confluent-kafka and OpenBLAS)");
                }
            }

            if (o.latencyRate() > 0) {
                latencySection(o, bench, variants, r);
            }
        } finally {
            EngineBench.deleteRecursively(work);
        }
    }

    /** JIT compilation may take at most this share of a warm-up run's time before the measured rounds start. */
    private static final double JIT_SETTLED = 0.05;

    private static final int WARM_UP_RUNS_MAX = 8;

    /** One warm-up run, its result thrown away; {@code i} counts the runs from 0. */
    @FunctionalInterface
    private interface WarmUp {
        void run(int i) throws Exception;
    }

    /** One throughput run of a variant on a load. */
    @FunctionalInterface
    private interface ThroughputRun {
        EngineBench.Run run(EngineBench.Load load) throws Exception;
    }

    private static double[] rates(List<EngineBench.Run> runs) {
        return runs.stream().mapToDouble(EngineBench.Run::eventsPerSecond).toArray();
    }

    /** The line "- a vs b, per round: ratio", when both ran. */
    private static void ratioLine(
            PrintWriter r, Map<String, List<EngineBench.Run>> runs, String label, String a, String b, String suffix) {
        if (runs.containsKey(a) && runs.containsKey(b)) {
            r.println("- " + label + a + " vs " + b + ", per round: "
                    + ratio(runs.get(a), runs.get(b)).format("") + suffix);
        }
    }

    /** Per round, {@code a}'s rate over {@code b}'s. */
    private static Spread ratio(List<EngineBench.Run> a, List<EngineBench.Run> b) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).eventsPerSecond() / b.get(i).eventsPerSecond();
        }
        return Spread.of(v);
    }

    /** How many warm-up runs {@link #settle} took, and the JIT's share of the last. */
    private record Settled(int runs, double jitShare) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d warm-up run(s) (until JIT compilation took at most %.0f%% of a run:" + " %.1f%% in the last)",
                    runs,
                    JIT_SETTLED * 100,
                    jitShare * 100);
        }
    }

    /**
     * Warm-up runs until the JIT has settled: the first minutes of a JVM running Kafka Streams and the engine spend up
     * to a core compiling, which a long-running engine does not pay. At least two runs (both variants), at most
     * {@link #WARM_UP_RUNS_MAX}.
     */
    private static Settled settle(WarmUp run) throws Exception {
        return settle(run, 2);
    }

    /** {@link #settle(WarmUp)}, at least {@code least} runs (each variant once). */
    private static Settled settle(WarmUp run, int least) throws Exception {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        int runs = 0;
        double share = 1;
        while ((share > JIT_SETTLED || runs < least) && runs < Math.max(WARM_UP_RUNS_MAX, least)) {
            long jit0 = jit.getTotalCompilationTime();
            long wall0 = System.nanoTime();
            run.run(runs);
            share = (jit.getTotalCompilationTime() - jit0) / ((System.nanoTime() - wall0) / 1e6);
            runs++;
        }
        return new Settled(runs, share);
    }

    /**
     * The latency settings {@code --latency-settings} chooses from: the engine's Kafka Streams settings beyond the
     * run's, by name. Streams' own producer default of {@code linger.ms} 100 stays in all but {@code linger0}: under
     * exactly-once a commit flushes the producer anyway, so lingering costs no latency and saves produce requests.
     */
    public static final Map<String, Setting> LATENCY_SETTINGS = Map.of(
            "defaults", new Setting("defaults (commit 100 ms)", 100, Map.of()),
            "tuned", new Setting("tuned (commit 20 ms)", 20, Map.of()),
            "commit10", new Setting("commit 10 ms", 10, Map.of()),
            "linger0", new Setting("commit 20 ms, producer linger.ms 0", 20, Map.of("linger.ms", "0")));

    /** One latency setting: a label, the commit interval, Kafka client settings. */
    public record Setting(String label, long commitMs, Map<String, String> kafka) {}

    /** A variant of the latency runs: the first is the no-model topology the others are compared with. */
    private record LatencyVariant(String name, SequenceModel model, boolean learn, int stateCache) {}

    private static void latencySection(Options o, EngineBench bench, List<LatencyVariant> variants, PrintWriter r)
            throws Exception {
        List<Setting> settings =
                o.latencySettings().stream().map(LATENCY_SETTINGS::get).toList();
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        Setting first = settings.get(0);
        int n = variants.size();
        // every variant: their code paths differ, and the JIT compiles each on first use
        Settled warm = settle(
                i -> {
                    LatencyVariant v = variants.get(i % n);
                    bench.latency(
                            "warm-up",
                            v.model(),
                            load(o, first),
                            o.latencyRate(),
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(2),
                            v.learn(),
                            v.stateCache());
                },
                n);
        r.println();
        r.println("Latency at " + (long) o.latencyRate() + " observations/s (" + o.latencySeconds() + " s measured"
                + " after 5 s of warm-up): forecast received (read_committed) minus the producer's send time; "
                + o.latencyRounds() + " round(s), settings and variants interleaved, after " + warm + " of 12 s"
                + ". CPU in cores of this process; JIT: milliseconds of compilation in this process during the run;"
                + " load average (1 min) when each run ended.");
        r.println();
        r.println(
                "| settings | variant | round | p50 ms | p99 ms | max ms | forecasts | CPU cores | JIT ms | load avg |");
        r.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Map<String, double[][]> p99 = new LinkedHashMap<>();
        settings.forEach(s -> p99.put(s.label(), new double[n][o.latencyRounds()]));
        for (int round = 0; round < o.latencyRounds(); round++) {
            for (Setting s : settings) {
                for (int i = 0; i < n; i++) {
                    LatencyVariant v = variants.get(i);
                    long jit0 = jit.getTotalCompilationTime();
                    EngineBench.Run run = bench.latency(
                            v.name(),
                            v.model(),
                            load(o, s),
                            o.latencyRate(),
                            Duration.ofSeconds(o.latencySeconds()),
                            Duration.ofSeconds(5),
                            v.learn(),
                            v.stateCache());
                    p99.get(s.label())[i][round] = run.percentile(0.99);
                    r.println(String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %.0f | %.0f | %.0f | %d | %.2f | %d | %s |",
                            s.label(),
                            v.name(),
                            round + 1,
                            run.percentile(0.5),
                            run.percentile(0.99),
                            run.percentile(1.0),
                            run.forecasts(),
                            run.cpuCores(),
                            jit.getTotalCompilationTime() - jit0,
                            loadAverage()));
                    r.flush();
                }
            }
        }
        r.println();
        r.println("p99 per settings, median [min..max] over the rounds; ratio model / no model per round:");
        for (var e : p99.entrySet()) {
            double[][] v = e.getValue();
            for (int k = 1; k < n; k++) {
                r.println(String.format(
                        Locale.ROOT,
                        "- %s%s: no model %s, model %s, ratio %s (target <= 1.2)",
                        e.getKey(),
                        k == 1 ? "" : " (" + variants.get(k).name() + ")",
                        Spread.of(v[0]).format(" ms"),
                        Spread.of(v[k]).format(" ms"),
                        Spread.of(ratio(v[k], v[0])).format("")));
            }
            if (n > 3) {
                r.println(String.format(
                        Locale.ROOT,
                        "- %s: p99 with the decoded state cache (state.cache %d) / with state.cache 0, per round: %s",
                        e.getKey(),
                        io.seqcast.config.PipelineConfig.DEFAULT_STATE_CACHE,
                        Spread.of(ratio(v[3], v[2])).format("")));
            }
        }
    }

    private static double[] ratio(double[] a, double[] b) {
        double[] q = new double[a.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = a[i] / b[i];
        }
        return q;
    }

    private static EngineBench.Load load(Options o, Setting s) {
        return new EngineBench.Load(o.series(), 0, o.partitions(), o.guarantee(), s.commitMs(), s.kafka());
    }

    private static void capacity(Options o, SequenceModel kernel, PrintWriter r) throws Exception {
        Path work = Files.createTempDirectory("seqcast-capacity");
        r.println();
        r.println("## Capacity: " + o.series() + " series, " + o.observations() + " observations preloaded, "
                + o.guarantee() + ", " + o.partitions() + " partitions, 1 stream thread, the model step ("
                + kernel.getClass().getSimpleName() + ")");
        r.println();
        try (BenchBroker broker = BenchBroker.start(o.brokerApart(), o.partitions(), o.brokerJavaOptions())) {
            EngineBench bench = new EngineBench(broker.bootstrapServers(), work);
            EngineBench.Capacity c = bench.capacity(
                    kernel, new EngineBench.Load(o.series(), o.observations(), o.partitions(), o.guarantee(), 100));
            EngineBench.Run run = c.run();
            r.println("| figure | value |");
            r.println("|---|---:|");
            r.println(String.format(Locale.ROOT, "| forecasts read back | %,d |", run.forecasts()));
            r.println(
                    String.format(Locale.ROOT, "| events/s (first to last forecast) | %,.0f |", run.eventsPerSecond()));
            r.println(String.format(Locale.ROOT, "| CPU cores (whole process) | %.2f |", run.cpuCores()));
            r.println(String.format(Locale.ROOT, "| series held (store scanned, exact) | %,d |", c.seriesHeld()));
            r.println(String.format(
                    Locale.ROOT,
                    "| series held (gauge seqcast.series.held, RocksDB estimate) | %,.0f |",
                    c.seriesGauge()));
            r.println(String.format(
                    Locale.ROOT,
                    "| state directory (RocksDB files, after close) | %,d MiB (%,.0f bytes" + " a series) |",
                    c.stateDirBytes() >> 20,
                    (double) c.stateDirBytes() / Math.max(1, c.seriesHeld())));
            r.println(String.format(
                    Locale.ROOT,
                    "| changelog topics on the broker (before compaction) | %,d MiB |",
                    c.changelogBytes() >> 20));
            r.println(String.format(
                    Locale.ROOT,
                    "| RocksDB shared cache in use (budget %d MiB) | %d MiB |",
                    io.seqcast.state.BoundedRocksDb.budget() >> 20,
                    c.rocksDbCacheBytes() >> 20));
            r.println(String.format(Locale.ROOT, "| heap used after the run | %d MiB |", run.heapUsed() >> 20));
            r.println(String.format(Locale.ROOT, "| RSS after the run | %d MiB |", run.resident() >> 20));
        } finally {
            EngineBench.deleteRecursively(work);
        }
        r.println();
        r.println("- load average at end " + loadAverage());
    }

    private static void soak(Options o, SequenceModel kernel, PrintWriter r) throws Exception {
        Path work = Files.createTempDirectory("seqcast-soak");
        r.println();
        r.println("## Memory soak: " + o.soak() + " at " + (long) o.latencyRate() + " observations/s, " + o.series()
                + " series, " + o.guarantee() + "; resident memory sampled every " + o.soakSample() + " s");
        r.println();
        r.println("JVM native memory: what the JVM itself committed (native memory tracking; heap, metaspace, threads,"
                + " code, GC, direct buffers). Outside the JVM: RSS minus that (RocksDB, glibc arenas, JavaCPP);"
                + " RocksDB cache: bytes held by the shared block cache, memtables included (state.memory.bytes).");
        r.println();
        r.println(
                "| t s | RSS MiB | heap used MiB | heap committed MiB | JVM native committed MiB | outside the JVM MiB"
                        + " | RocksDB cache MiB |");
        r.println("|---:|---:|---:|---:|---:|---:|---:|");
        List<Long> rss = new ArrayList<>();
        StringBuilder nmt = new StringBuilder();
        long start = System.nanoTime();
        Thread sampler = new Thread(
                () -> {
                    try {
                        boolean middle = false;
                        nmt.append(nmtSection("start", 0));
                        while (!Thread.currentThread().isInterrupted()) {
                            Thread.sleep(o.soakSample() * 1000L);
                            long t = (System.nanoTime() - start) / 1_000_000_000L;
                            long now = ProcessStats.residentBytes();
                            String summary = ProcessStats.nativeMemorySummary();
                            long jvm = ProcessStats.nativeMemoryCommitted(summary);
                            rss.add(now);
                            r.println(String.format(
                                    Locale.ROOT,
                                    "| %d | %d | %d | %d | %s | %s | %d |",
                                    t,
                                    now >> 20,
                                    ProcessStats.heapUsedBytes() >> 20,
                                    ProcessStats.heapCommittedBytes() >> 20,
                                    jvm < 0 ? "n/a" : Long.toString(jvm >> 20),
                                    jvm < 0 ? "n/a" : Long.toString((now - jvm) >> 20),
                                    io.seqcast.state.BoundedRocksDb.usage() >> 20));
                            if (!middle && t >= o.soak().toSeconds() / 2) {
                                middle = true;
                                nmt.append(nmtSection("middle", t));
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "bench-soak-sampler");
        sampler.setDaemon(true);
        try (BenchBroker broker = BenchBroker.start(o.brokerApart(), o.partitions(), o.brokerJavaOptions())) {
            EngineBench bench = new EngineBench(broker.bootstrapServers(), work);
            sampler.start();
            EngineBench.Run run = bench.latency(
                    "soak",
                    kernel,
                    new EngineBench.Load(o.series(), 0, o.partitions(), o.guarantee(), 20),
                    o.latencyRate(),
                    o.soak(),
                    Duration.ZERO);
            sampler.interrupt();
            sampler.join();
            nmt.append(nmtSection("end", (System.nanoTime() - start) / 1_000_000_000L));
            if (o.out() != null) {
                Path file = o.out()
                        .resolveSibling(o.out().getFileName().toString().replaceFirst("\\.md$", "") + ".nmt.txt");
                Files.writeString(file, nmt.toString());
                r.println();
                r.println("Native memory tracking summaries at start, middle and end: " + file);
            }
            r.println();
            r.println(String.format(
                    Locale.ROOT,
                    "forecasts %d; latency p50 %.0f ms, p99 %.0f ms",
                    run.forecasts(),
                    run.percentile(0.5),
                    run.percentile(0.99)));
            if (rss.size() >= 4) {
                int q = rss.size() / 4;
                long firstQuarter = rss.subList(0, q).stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(0);
                long lastQuarter = rss.subList(rss.size() - q, rss.size()).stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(0);
                r.println(String.format(
                        Locale.ROOT,
                        "RSS: highest of the first quarter %d MiB, of the last quarter" + " %d MiB (growth %+.1f%%)",
                        firstQuarter >> 20,
                        lastQuarter >> 20,
                        100.0 * (lastQuarter - firstQuarter) / firstQuarter));
            }
        } finally {
            sampler.interrupt();
            EngineBench.deleteRecursively(work);
        }
    }

    private static String nmtSection(String when, long seconds) {
        String summary = ProcessStats.nativeMemorySummary();
        return "=== " + when + ", t=" + seconds + " s, RSS " + (ProcessStats.residentBytes() >> 20) + " MiB, RocksDB"
                + " cache " + (io.seqcast.state.BoundedRocksDb.usage() >> 20) + " MiB ===\n"
                + (summary == null ? "(native memory tracking off: -XX:NativeMemoryTracking=summary)\n" : summary)
                + "\n";
    }

    private static JsonNode readTorch(Path file) {
        if (file == null || !Files.isReadable(file)) {
            return null;
        }
        try {
            String s = Files.readString(file).trim();
            return s.isEmpty() ? null : new ObjectMapper().readTree(s);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown CPU");
        } catch (java.io.IOException e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
