package io.seqcast.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.seqcast.event.FieldMapping;
import io.seqcast.learn.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads pipeline files ({@code *.yaml} in {@code topology/}). Nested YAML maps are flattened to dotted keys
 * ({@code forecast: {horizon: 6}} is {@code forecast.horizon}), every key is declared once in {@link #DEFINITION},
 * and every problem in every file is reported at once.
 */
public final class PipelineFiles {

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    "name",
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new Name(),
                    Importance.HIGH,
                    "Pipeline name: lower-case letters, digits and dashes. Prefixes its processor, store and topic names.")
            .define(
                    "input.topic",
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Topic of observations, keyed by series id.")
            .define(
                    "input.fields.series",
                    Type.STRING,
                    "series",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "JSON field holding the series id (must equal the record key).")
            .define(
                    "input.fields.time",
                    Type.STRING,
                    "time",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "JSON field holding the event time: ISO-8601 text, 'yyyy-MM-dd HH:mm:ss' (UTC), a date, or epoch ms.")
            .define(
                    "input.fields.value",
                    Type.STRING,
                    "value",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "JSON field holding the value: a number, or an array of input.features numbers.")
            .define(
                    "input.fields.tags",
                    Type.STRING,
                    "tags",
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    "JSON field holding optional string tags.")
            .define(
                    "input.features",
                    Type.INT,
                    1,
                    Range.between(1, 1024),
                    Importance.MEDIUM,
                    "Values per observation; must equal the model's input size.")
            .define(
                    "sampling.interval",
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new IsoDuration(),
                    Importance.HIGH,
                    "Expected time between observations of a series, as an ISO-8601 duration (PT5M, PT1H, P1D).")
            .define(
                    "sampling.gap-tolerance",
                    Type.DOUBLE,
                    1.5,
                    Range.between(1.0, 1000.0),
                    Importance.MEDIUM,
                    "A gap is a time since the series' last observation longer than this many sampling intervals.")
            .define(
                    "sampling.gap-policy",
                    Type.STRING,
                    "impute",
                    ValidString.in("impute", "reset"),
                    Importance.MEDIUM,
                    "What a gap does: 'impute' feeds the model its own one-step forecast for each missing step;"
                            + " 'reset' forgets the hidden state and warms the series up again.")
            .define(
                    "sampling.max-impute-steps",
                    Type.INT,
                    12,
                    Range.between(0, 10000),
                    Importance.LOW,
                    "With gap-policy impute, gaps of more missing steps than this reset the series instead.")
            .define(
                    "model.artifact",
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Model artifact file, relative to the pipeline file (made by 'seqcast train').")
            .define(
                    "model.routes",
                    Type.STRING,
                    "[]",
                    Importance.MEDIUM,
                    "Per-series models: a list of {series: GLOB, artifact: FILE}, {series-regex: REGEX, artifact:"
                            + " FILE} or {tag: KEY=VALUE, artifact: FILE}; the first route that matches a series (its"
                            + " key, or a tag of its first observation) serves it, other series use model.artifact."
                            + " Fixed at start-up: hot swap replaces model.artifact only. See MODELS.md.")
            .define(
                    "model.covariates",
                    Type.LIST,
                    "",
                    ConfigDef.ValidList.in(
                            io.seqcast.event.Covariates.Kind.ids().toArray(new String[0])),
                    Importance.MEDIUM,
                    "Known-ahead covariates of each observation's event time (UTC), a sine and cosine pair each, that"
                            + " the model takes after the values at every step, for example [time-of-day,"
                            + " day-of-week]; the model must be trained with the same ones (seqcast train"
                            + " --covariates).")
            .define(
                    "mode",
                    Type.STRING,
                    "stateful",
                    ValidString.in("stateful", "windowed", "classify", "ecg"),
                    Importance.HIGH,
                    "'stateful': one model step per observation carrying the hidden state per series;"
                            + " 'windowed': the model runs over the last window.length observations every"
                            + " window.stride; 'classify': each observation's vector of input.features values is one"
                            + " sequence, classified by a many-to-one softmax model (a class and its probability);"
                            + " 'ecg': raw two-lead ECG, input.features/2 samples of both leads interleaved per"
                            + " observation; beats are found and classified (a class per beat).")
            .define(
                    "window.length",
                    Type.INT,
                    64,
                    Range.between(1, 100000),
                    Importance.MEDIUM,
                    "Windowed mode: observations per window.")
            .define(
                    "window.stride",
                    Type.INT,
                    1,
                    Range.between(1, 100000),
                    Importance.MEDIUM,
                    "Windowed mode: the model runs every this many observations; at most forecast.horizon.")
            .define(
                    "forecast.horizon",
                    Type.INT,
                    6,
                    Range.between(1, 1000),
                    Importance.HIGH,
                    "Steps ahead to forecast; at most the model's horizon.")
            .define(
                    "forecast.combine",
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Publish, per series and step ahead, the combination of the model's forecast, the last value and"
                            + " the seasonal profiles' values (profile.*), each weighted by the inverse of its recent"
                            + " mean squared error in that series, instead of the model's forecast alone: never much"
                            + " worse than the best of them where the model has not learned the series.")
            .define(
                    "forecast.combine-network",
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "With forecast.combine and learn.enabled: the model's own forecast is a candidate of the"
                            + " combination beside the learned forecast, and every candidate is weighted by its recent"
                            + " mean absolute error (sharply: the best dominates), so a step the model forecasts"
                            + " better than its learned layer keeps the model's forecast. The signals pipeline uses it.")
            .define(
                    "learn.enabled",
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Learn, per series and step ahead, an online linear output layer (recursive least squares with"
                            + " forgetting and a ridge prior, in the series' state) that forecasts the change from the"
                            + " last value from the model's forecast, recent changes (learn.lags), the seasonal"
                            + " profiles (profile.*) and calendar terms (learn.calendar). It starts at 'no change'"
                            + " (a new series is forecast by its last value) and learns from the series' own errors."
                            + " With forecast.combine, it is the model candidate of the combination.")
            .define(
                    "learn.lags",
                    Type.INT,
                    6,
                    Range.between(0, 24),
                    Importance.LOW,
                    "With learn.enabled: recent changes among the learned layer's inputs.")
            .define(
                    "learn.calendar",
                    Type.STRING,
                    "none",
                    ValidString.in("none", "daily", "weekly"),
                    Importance.LOW,
                    "With learn.enabled: calendar inputs from the event time (UTC): 'daily' adds the"
                            + " time of day, 'weekly' also the day of week (sine and cosine of each phase).")
            .define(
                    "learn.change",
                    Type.STRING,
                    "difference",
                    ValidString.in("difference", "return"),
                    Importance.LOW,
                    "With learn.enabled: how changes are measured, scale-free: 'difference' in units"
                            + " of the series' recent mean absolute difference, 'return' (prices) as relative changes"
                            + " in units of its recent mean absolute return.")
            .define(
                    "learn.forgetting",
                    Type.DOUBLE,
                    0.999,
                    Range.between(0.9, 1.0),
                    Importance.LOW,
                    "With learn.enabled: forgetting factor of the learned layer; its memory is about"
                            + " 1 / (1 - forgetting) observations.")
            .define(
                    "learn.prior",
                    Type.DOUBLE,
                    1.0,
                    Range.between(0.001, 1000.0),
                    Importance.LOW,
                    "With learn.enabled: initial covariance scale of the learned layer (a ridge prior towards 'no"
                            + " change'): smaller learns more cautiously.")
            .define(
                    "learn.deviation-memory",
                    Type.INT,
                    0,
                    Range.between(0, 10000),
                    Importance.LOW,
                    "With learn.enabled and a seasonal profile: memory, in observations, of an input of the learned"
                            + " layer that is the series' recent mean departure from its first profile (a day that"
                            + " runs below its usual shape). 0: no such input.")
            .define(
                    "learn.seasonal-lag",
                    Type.INT,
                    0,
                    Range.between(0, 1000),
                    Importance.LOW,
                    "With learn.enabled: a lag L in observations (a season, e.g. 48 half-hours); each step h ahead"
                            + " gets one more input of the learned layer, the change the series made over the same h"
                            + " steps L observations earlier (yesterday's shape). Costs L + 1 values of state per"
                            + " series. 0: no such input.")
            .define(
                    "profile.daily-buckets",
                    Type.INT,
                    0,
                    Range.between(0, 1440),
                    Importance.MEDIUM,
                    "Buckets of a daily profile kept per series (by event time, UTC): the mean of each bucket of the"
                            + " last day. Each value is compared with its bucket one day before (a broken daily"
                            + " cycle is an anomaly) and, with forecast.combine, the profile forecasts. 48 ="
                            + " half-hours; 0: none. Costs 4 bytes per bucket per series.")
            .define(
                    "profile.weekly-buckets",
                    Type.INT,
                    0,
                    Range.between(0, 10080),
                    Importance.MEDIUM,
                    "Like profile.daily-buckets, for a weekly profile (a holiday, a weekday like a weekend). 168 ="
                            + " hours; 0: none.")
            .define(
                    "profile.smoothing",
                    Type.DOUBLE,
                    1.0,
                    Range.between(0.01, 1.0),
                    Importance.LOW,
                    "Weight of the newest season in each profile bucket: 1 = the last season's mean alone; less ="
                            + " an exponentially weighted mean over seasons (e.g. 0.3: smoother, follows slower).")
            .define(
                    "forecast.coverage",
                    Type.DOUBLE,
                    0.9,
                    Range.between(0.5, 0.999),
                    Importance.MEDIUM,
                    "Nominal coverage of the prediction intervals.")
            .define(
                    "forecast.calibration-rate",
                    Type.DOUBLE,
                    0.02,
                    Range.between(0.001, 0.5),
                    Importance.LOW,
                    "Step of the online calibration of the interval widths (adaptive conformal inference, log scale,"
                            + " per observation): larger follows a change of the residuals' size faster and wobbles"
                            + " more. The bundled pipelines use 0.08 (EVALUATION.md, Intervals).")
            .define(
                    "anomaly.false-alert-rate",
                    Type.DOUBLE,
                    0.001,
                    Range.between(1e-9, 0.2),
                    Importance.HIGH,
                    "Sensitivity: the share of observations of a series that behaves as before that may open an"
                            + " alert. Residual alerts: each series calibrates its own threshold online so that they"
                            + " open at this rate. Novelty (a level, quietness or seasonal distance beyond all the"
                            + " series' past) scores 0.12 or more and alerts at -log10(rate) / 100 (0.03 for 0.001).")
            .define(
                    "anomaly.critical-rate",
                    Type.DOUBLE,
                    0.00001,
                    Range.between(1e-12, 0.2),
                    Importance.MEDIUM,
                    "Like anomaly.false-alert-rate, for the critical severity; smaller than it.")
            .define(
                    "anomaly.warmup",
                    Type.INT,
                    100,
                    Range.between(1, 1000000),
                    Importance.MEDIUM,
                    "Observations after a series starts (or resets) during which it is marked warming up and raises"
                            + " no alert.")
            .define(
                    "anomaly.resolve-after",
                    Type.INT,
                    3,
                    Range.between(1, 100000),
                    Importance.LOW,
                    "Consecutive observations below the threshold that resolve an open alert.")
            .define(
                    "anomaly.refractory",
                    Type.STRING,
                    "PT24H",
                    new IsoDuration(),
                    Importance.LOW,
                    "After the series shows something new (a level, a quietness or a seasonal distance beyond all"
                            + " its past) or its residual likelihood turns red, novelty and the residual likelihood"
                            + " within this event time score ten times less: an episode is reported by its first"
                            + " observation.")
            .define(
                    "anomaly.level-novelty",
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Whether a value beyond the series' whole past range (by more than 1% of it) is an anomaly. Turn"
                            + " it off for series that trend, such as prices, whose new highs are not anomalies.")
            .define(
                    "state.idle-expiry",
                    Type.STRING,
                    "P30D",
                    new IsoDuration(),
                    Importance.MEDIUM,
                    "A series with no observation for this long (event time, against the newest observation of its"
                            + " partition) is forgotten: its state is deleted, counted in seqcast.series.expired, and"
                            + " it starts afresh (warm-up included) if it comes back. Bounds the state of series that"
                            + " stop sending.")
            .define(
                    "state.store",
                    Type.STRING,
                    "rocksdb",
                    ConfigDef.CaseInsensitiveValidString.in("rocksdb", "memory"),
                    Importance.MEDIUM,
                    "Where each series' state lives: rocksdb (on disk, memory bounded by state.memory.bytes, any"
                            + " number of series) or memory (a map on the heap: no RocksDB read and write per record,"
                            + " faster; for pipelines whose series fit in the heap, about 1.2 KiB each for an LSTM"
                            + " 2x64, and restored in full from the changelog whenever a task starts). Both are"
                            + " changelogged: exactly-once and recovery are the same.")
            .define(
                    "state.cache",
                    Type.INT,
                    null,
                    new NotSetOr(Range.between(0, 10_000_000)),
                    Importance.LOW,
                    "Series per stream task whose state is kept decoded on the heap in front of the state store: a"
                            + " record of such a series is stepped without reading and decoding its state, which is"
                            + " encoded and written (store and changelog) at most once per commit: at the commit, or"
                            + " a tenth of the commit interval (at most 10 ms) after its last change if it did not"
                            + " change again (so that a commit does not write every changed state in one burst); least"
                            + " recently used out first. Each takes about 1.4 times its stored size on the heap (4.6"
                            + " KiB for the bundled machines pipeline with learning: 4096 series, 19 MiB per task)."
                            + " Not set: 4096 series when commit.interval.ms is above 20, and no cache (the store"
                            + " used directly, as with 0) at 20 ms or less. In the benchmark (BENCHMARKS.md, 4"
                            + " December) the cache gave 1.24x the throughput at the 100 ms default, its 99th"
                            + " percentile latency within 1.1 times the engine's without a model step, but at a 20 ms"
                            + " commit it raised the 99th percentile from 34-39 ms to 41-50 ms (the young collections"
                            + " that copy the states it holds). A value set always holds: 0 turns the cache off at any"
                            + " commit interval, a number of series keeps it on at any. Each task logs at start which"
                            + " way it went. Exactly-once and recovery are the same: the changelog is written before"
                            + " every commit.")
            .define(
                    "output.forecasts",
                    Type.STRING,
                    "seqcast.forecasts",
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Topic of forecast events (one per accepted observation, with its anomaly score).")
            .define(
                    "output.alerts",
                    Type.STRING,
                    "seqcast.alerts",
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Topic of anomaly alert events (opened, updated, resolved).")
            .define(
                    "output.dead-letter",
                    Type.STRING,
                    "seqcast.dead-letter",
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Topic of refused records: original bytes, reason and source in headers.")
            .define(
                    "output.classifications",
                    Type.STRING,
                    "seqcast.classifications",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Classify mode: topic of classification events (a class and its probability per observation).");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PipelineFiles() {}

    /**
     * Loads every pipeline file under {@code location} (a {@code .yaml} file, or a directory of them), or fails with
     * every problem found.
     */
    public static List<PipelineConfig> load(Path location) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<PipelineConfig> pipelines = new ArrayList<>();
        for (Path file : files(location, problems)) {
            PipelineConfig p = read(file, problems);
            if (p != null) {
                pipelines.add(p);
            }
        }
        if (pipelines.isEmpty() && problems.isEmpty()) {
            problems.add(new ConfigProblem(
                    location.toString(),
                    "pipelines",
                    "no pipeline file (*.yaml) found.",
                    "point --pipelines at a directory of pipeline files or at one file, such as topology/"));
        }
        checkAcrossPipelines(pipelines, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return pipelines;
    }

    private static List<Path> files(Path location, List<ConfigProblem> problems) {
        if (Files.isRegularFile(location)) {
            return List.of(location);
        }
        if (!Files.isDirectory(location)) {
            problems.add(new ConfigProblem(
                    location.toString(),
                    "pipelines",
                    "no such file or directory.",
                    "point --pipelines at a directory of pipeline files or at one file, such as topology/"));
            return List.of();
        }
        try (Stream<Path> list = Files.list(location)) {
            return list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(
                    location.toString(),
                    "pipelines",
                    "cannot list: " + e.getMessage(),
                    "check the directory's permissions"));
            return List.of();
        }
    }

    /** Reads one file; adds problems and returns null when it is wrong. */
    public static PipelineConfig read(Path file, List<ConfigProblem> problems) {
        String source = file.toString();
        Map<String, String> flat = new LinkedHashMap<>();
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            if (root == null || !root.isObject()) {
                problems.add(new ConfigProblem(
                        source,
                        "(file)",
                        "is not a YAML mapping of keys to values.",
                        "start from a file in topology/ such as machines.yaml"));
                return null;
            }
            flatten("", root, flat);
        } catch (JsonProcessingException e) {
            problems.add(new ConfigProblem(
                    source,
                    "(file)",
                    "is not valid YAML: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " at line " + e.getLocation().getLineNr()) + ".",
                    "correct the YAML syntax at that line"));
            return null;
        } catch (IOException e) {
            problems.add(new ConfigProblem(
                    source,
                    "(file)",
                    "cannot be read: " + e.getMessage(),
                    "check that the file exists and is readable"));
            return null;
        }
        int before = problems.size();
        Map<String, Object> v = Settings.parse(DEFINITION, flat, source, Set.of(), problems);
        if (problems.size() > before) {
            return null;
        }
        PipelineConfig p = build(file, v).withRoutes(routes(file, (String) v.get("model.routes"), problems));
        if (p.mode() == PipelineConfig.Mode.WINDOWED
                && p.window().stride() > p.forecast().horizon()) {
            problems.add(new ConfigProblem(
                    source,
                    "window.stride",
                    "is " + p.window().stride() + ", more than forecast.horizon "
                            + p.forecast().horizon()
                            + ": observations between runs would have no forecast to be scored against.",
                    "set window.stride to at most forecast.horizon"));
        }
        int seasonalLag = p.forecast().learning().seasonalLag();
        if (seasonalLag > 0 && seasonalLag < p.forecast().horizon()) {
            problems.add(new ConfigProblem(
                    source,
                    "learn.seasonal-lag",
                    "is " + seasonalLag + ", less than forecast.horizon "
                            + p.forecast().horizon() + ": the far steps' value one lag earlier would not be seen yet.",
                    "set learn.seasonal-lag to a season in observations (at least forecast.horizon), or 0"));
        }
        if (!p.covariates().isEmpty()
                && (p.mode() == PipelineConfig.Mode.CLASSIFY || p.mode() == PipelineConfig.Mode.ECG)) {
            problems.add(new ConfigProblem(
                    source,
                    "model.covariates",
                    "is " + p.covariates() + " but mode " + p.mode().name().toLowerCase(Locale.ROOT)
                            + " classifies sequences; only forecasters take covariates.",
                    "remove model.covariates, or set mode: stateful or windowed"));
        }
        if (p.mode() == PipelineConfig.Mode.ECG
                && (p.input().fields().features() % 2 != 0 || !(p.sampleRate() >= 100 && p.sampleRate() <= 2000))) {
            problems.add(new ConfigProblem(
                    source,
                    "input.features",
                    "is " + p.input().fields().features() + " with sampling.interval "
                            + p.sampling().interval()
                            + ": mode ecg needs an even number (samples of two leads, interleaved) making 100 to 2000"
                            + " samples per second per lead.",
                    "set input.features to twice the samples per observation, e.g. 72 with sampling.interval"
                            + " PT0.1S for 360 Hz"));
        }
        if (p.anomaly().criticalRate() >= p.anomaly().falseAlertRate()) {
            problems.add(new ConfigProblem(
                    source,
                    "anomaly.critical-rate",
                    "is " + p.anomaly().criticalRate() + ", not below anomaly.false-alert-rate "
                            + p.anomaly().falseAlertRate() + ".",
                    "set anomaly.critical-rate below anomaly.false-alert-rate (critical is the rarer severity)"));
        }
        double gapMs = p.sampling().gapTolerance() * p.sampling().interval().toMillis();
        if (p.idleExpiry().toMillis() <= gapMs) {
            problems.add(new ConfigProblem(
                    source,
                    "state.idle-expiry",
                    "is " + p.idleExpiry() + ", not longer than a gap (sampling.interval "
                            + p.sampling().interval()
                            + " times sampling.gap-tolerance " + p.sampling().gapTolerance() + "): every series would"
                            + " be forgotten between two observations.",
                    "set state.idle-expiry to many sampling intervals, such as P30D"));
        }
        Set<String> outputs = new java.util.HashSet<>(List.of(
                p.output().forecasts(),
                p.output().alerts(),
                p.output().deadLetter(),
                p.output().classifications()));
        if (outputs.size() < 4 || outputs.contains(p.input().topic())) {
            problems.add(new ConfigProblem(
                    source,
                    "output.*",
                    "input, forecast, alert, dead-letter and classification topics must be different topics.",
                    "give input.topic and every output.* key its own topic name"));
        }
        return problems.size() > before ? null : p;
    }

    private static final String ROUTE_FIX = "write model.routes as a list of {series: GLOB, artifact: FILE},"
            + " {series-regex: REGEX, artifact: FILE} or {tag: KEY=VALUE, artifact: FILE}, e.g. made by 'seqcast train"
            + " --per-series' (see MODELS.md)";

    /** The routes of {@code model.routes} (JSON text of the YAML list); adds a problem for each bad one. */
    static List<PipelineConfig.ModelRoute> routes(Path file, String text, List<ConfigProblem> problems) {
        String source = file.toString();
        Path dir = file.toAbsolutePath().getParent();
        List<PipelineConfig.ModelRoute> routes = new ArrayList<>();
        JsonNode list;
        try {
            list = YAML.readTree(text == null ? "[]" : text);
        } catch (JsonProcessingException e) {
            list = null;
        }
        if (list == null || !list.isArray()) {
            problems.add(new ConfigProblem(source, "model.routes", "is not a list of routes.", ROUTE_FIX));
            return routes;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            String key = "model.routes[" + i + "]";
            if (!r.isObject()) {
                problems.add(new ConfigProblem(source, key, "is not a mapping.", ROUTE_FIX));
                continue;
            }
            List<String> unknown = new ArrayList<>();
            r.fieldNames().forEachRemaining(f -> {
                if (!Set.of("series", "series-regex", "tag", "artifact").contains(f)) {
                    unknown.add(f);
                }
            });
            int matchers = (r.has("series") ? 1 : 0) + (r.has("series-regex") ? 1 : 0) + (r.has("tag") ? 1 : 0);
            if (!unknown.isEmpty() || matchers != 1 || !r.path("artifact").isTextual()) {
                problems.add(new ConfigProblem(
                        source,
                        key,
                        "needs exactly one of series, series-regex or tag, and an artifact"
                                + (unknown.isEmpty() ? "" : "; unknown keys " + unknown) + ".",
                        ROUTE_FIX));
                continue;
            }
            String glob = r.has("series") ? r.get("series").asText() : null;
            String regex = r.has("series-regex") ? r.get("series-regex").asText() : null;
            String tagKey = null;
            String tagValue = null;
            if (regex != null) {
                try {
                    java.util.regex.Pattern.compile(regex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.add(new ConfigProblem(
                            source,
                            key + ".series-regex",
                            "'" + regex + "' is not a regular expression: " + e.getDescription() + ".",
                            "write a Java regular expression matching whole series keys, such as m-[0-9]+, or use"
                                    + " series: with a glob such as m-*"));
                    continue;
                }
            }
            if (glob != null && glob.isEmpty()) {
                problems.add(new ConfigProblem(
                        source, key + ".series", "is empty.", "write a glob of series keys, such as m-* or m-?1"));
                continue;
            }
            if (r.has("tag")) {
                String tag = r.get("tag").asText();
                int eq = tag.indexOf('=');
                if (eq <= 0) {
                    problems.add(new ConfigProblem(
                            source,
                            key + ".tag",
                            "'" + tag + "' is not KEY=VALUE.",
                            "write the tag as KEY=VALUE, such as site=berlin"));
                    continue;
                }
                tagKey = tag.substring(0, eq);
                tagValue = tag.substring(eq + 1);
            }
            Path artifact = dir.resolve(r.get("artifact").asText()).normalize();
            if (!Files.isRegularFile(artifact)) {
                problems.add(new ConfigProblem(
                        source,
                        key + ".artifact",
                        "no such file: " + artifact + ".",
                        "point artifact at a model made by 'seqcast train' (path relative to the pipeline file),"
                                + " such as one written by 'seqcast train --per-series'"));
                continue;
            }
            routes.add(new PipelineConfig.ModelRoute(glob, regex, tagKey, tagValue, artifact));
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    private static PipelineConfig build(Path file, Map<String, Object> v) {
        Path dir = file.toAbsolutePath().getParent();
        return new PipelineConfig(
                (String) v.get("name"),
                file,
                new PipelineConfig.Input(
                        (String) v.get("input.topic"),
                        new FieldMapping(
                                (String) v.get("input.fields.series"),
                                (String) v.get("input.fields.time"),
                                (String) v.get("input.fields.value"),
                                (String) v.get("input.fields.tags"),
                                (Integer) v.get("input.features"))),
                new PipelineConfig.Sampling(
                        Duration.parse((String) v.get("sampling.interval")),
                        (Double) v.get("sampling.gap-tolerance"),
                        PipelineConfig.GapPolicy.valueOf(
                                ((String) v.get("sampling.gap-policy")).toUpperCase(Locale.ROOT)),
                        (Integer) v.get("sampling.max-impute-steps")),
                dir.resolve((String) v.get("model.artifact")).normalize(),
                PipelineConfig.Mode.valueOf(((String) v.get("mode")).toUpperCase(Locale.ROOT)),
                new PipelineConfig.Window((Integer) v.get("window.length"), (Integer) v.get("window.stride")),
                new PipelineConfig.ForecastSettings(
                        (Integer) v.get("forecast.horizon"),
                        (Double) v.get("forecast.coverage"),
                        (Boolean) v.get("forecast.combine"),
                        new PipelineConfig.Learning(
                                (Boolean) v.get("learn.enabled"),
                                (Integer) v.get("learn.lags"),
                                Inputs.Calendar.valueOf(((String) v.get("learn.calendar")).toUpperCase(Locale.ROOT)),
                                Inputs.Change.valueOf(((String) v.get("learn.change")).toUpperCase(Locale.ROOT)),
                                (Double) v.get("learn.forgetting"),
                                (Double) v.get("learn.prior"),
                                (Integer) v.get("learn.deviation-memory"),
                                (Integer) v.get("learn.seasonal-lag")),
                        (Double) v.get("forecast.calibration-rate"),
                        (Boolean) v.get("forecast.combine-network")),
                new PipelineConfig.AnomalySettings(
                        (Double) v.get("anomaly.false-alert-rate"),
                        (Double) v.get("anomaly.critical-rate"),
                        (Integer) v.get("anomaly.warmup"),
                        (Integer) v.get("anomaly.resolve-after"),
                        Duration.parse((String) v.get("anomaly.refractory")),
                        (Boolean) v.get("anomaly.level-novelty")),
                new PipelineConfig.Output(
                        (String) v.get("output.forecasts"),
                        (String) v.get("output.alerts"),
                        (String) v.get("output.dead-letter"),
                        (String) v.get("output.classifications")),
                Duration.parse((String) v.get("state.idle-expiry")),
                new PipelineConfig.Profiles(
                        (Integer) v.get("profile.daily-buckets"), (Integer) v.get("profile.weekly-buckets"), (Double)
                                v.get("profile.smoothing")),
                PipelineConfig.StateStore.valueOf(((String) v.get("state.store")).toUpperCase(Locale.ROOT)),
                v.get("state.cache") == null
                        ? PipelineConfig.STATE_CACHE_BY_COMMIT_INTERVAL
                        : (Integer) v.get("state.cache"),
                List.of(),
                io.seqcast.event.Covariates.of((List<String>) v.get("model.covariates")));
    }

    private static void checkAcrossPipelines(List<PipelineConfig> pipelines, List<ConfigProblem> problems) {
        Map<String, PipelineConfig> byName = new HashMap<>();
        Map<String, PipelineConfig> byInput = new HashMap<>();
        for (PipelineConfig p : pipelines) {
            PipelineConfig other = byName.putIfAbsent(p.name(), p);
            if (other != null) {
                problems.add(new ConfigProblem(
                        p.source().toString(),
                        "name",
                        "'" + p.name() + "' is also the name of the pipeline in " + other.source() + ".",
                        "give every pipeline its own name"));
            }
            other = byInput.putIfAbsent(p.input().topic(), p);
            if (other != null) {
                problems.add(new ConfigProblem(
                        p.source().toString(),
                        "input.topic",
                        "'" + p.input().topic() + "' is also read by pipeline '" + other.name() + "' (" + other.source()
                                + "); a topic feeds one pipeline.",
                        "give each pipeline its own input topic"));
            }
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix + e.getKey() + ".", e.getValue(), out));
        } else if (node.isArray() && allValues(node)) {
            // a YAML list of words, such as model.covariates: [time-of-day, day-of-week], as a comma-separated list;
            // a list of mappings (model.routes) stays JSON text, read by its own parser
            List<String> items = new ArrayList<>();
            node.elements().forEachRemaining(e -> items.add(e.asText()));
            out.put(prefix.substring(0, prefix.length() - 1), String.join(",", items));
        } else {
            String key = prefix.substring(0, prefix.length() - 1);
            out.put(key, node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString());
        }
    }

    private static boolean allValues(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.isValueNode()) {
                return false;
            }
        }
        return true;
    }

    private static final class Name implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !((String) value).matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new ConfigException(name, value, "must be lower-case letters, digits and dashes");
            }
        }

        @Override
        public String toString() {
            return "[a-z0-9][a-z0-9-]*";
        }
    }

    /** A key with no default: not set, or a value {@code set} accepts. */
    private record NotSetOr(ConfigDef.Validator set) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null) {
                set.ensureValid(name, value);
            }
        }

        @Override
        public String toString() {
            return set.toString();
        }
    }

    private static final class IsoDuration implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                Duration d = Duration.parse((String) value);
                if (d.isNegative() || d.isZero()) {
                    throw new ConfigException(name, value, "must be a positive duration");
                }
            } catch (DateTimeParseException | NullPointerException e) {
                throw new ConfigException(name, value, "must be an ISO-8601 duration such as PT5M, PT1H or PT24H");
            }
        }

        @Override
        public String toString() {
            return "ISO-8601 duration (PT5M)";
        }
    }
}
