package io.seqcast.evaluate;

import io.seqcast.config.PipelineConfig;
import io.seqcast.model.SequenceModel;
import io.seqcast.replay.CsvSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * One series measured on the {@link HoldoutProtocol reference protocol}: the classical methods, computed here on the
 * same origins from the history alone, beside the engine. The engine is the pipeline's real topology replayed row by
 * row ({@link TopologyReplay}): it sees every observation causally, as in production, and only its forecasts for
 * test targets are scored. It runs twice: as configured (what seqcast publishes) and with
 * {@code forecast.combine: false} (the model alone). When the model forecasts fewer steps than asked, the engine is
 * scored on the steps it forecasts.
 *
 * @param series series name
 * @param season season length in rows (1: none)
 * @param protocol rows, history and MASE scale
 * @param ets the fitted exponential smoothing, for reports
 * @param autoregression the fitted autoregression, for reports
 * @param engineHorizon steps the engine forecasts
 * @param methods scores, in report order: naive, seasonal naive, ETS, linear AR, model alone, seqcast
 * @param published what the engine published as configured, per row (for plots and per-row files)
 */
public record ForecastEvaluation(
        String series,
        int season,
        HoldoutProtocol protocol,
        String ets,
        String autoregression,
        int engineHorizon,
        List<HoldoutProtocol.MethodScore> methods,
        TopologyReplay.Replayed published) {

    /** Name of the engine as configured in reports. */
    public static final String PUBLISHED = "seqcast";

    /** Name of the engine's model alone in reports. */
    public static final String MODEL_ALONE = "model alone";

    /** Names of the classical methods, in report order. */
    public static final List<String> CLASSICAL = List.of("naive", "seasonal naive", "ETS", "linear AR");

    /**
     * Measures {@code series} (its first value column).
     *
     * @param pipeline the pipeline as configured; its interval is replaced by the series' median spacing and its
     *     horizon by {@code horizon} (at most what the model forecasts)
     */
    public static ForecastEvaluation run(
            CsvSeries series, int season, int horizon, PipelineConfig pipeline, SequenceModel model) {
        double[] values = series.firstColumn();
        HoldoutProtocol protocol = HoldoutProtocol.of(values, HoldoutProtocol.TRAIN_FRACTION, horizon);
        int n = protocol.trainSize();
        ExponentialSmoothing ets = ExponentialSmoothing.fit(values, n, season);
        Autoregression ar = Autoregression.fit(values, n, season, horizon);
        List<HoldoutProtocol.MethodScore> methods = new ArrayList<>();
        methods.add(protocol.score(values, Baselines.naive(values, horizon)));
        methods.add(protocol.score(values, Baselines.seasonalNaive(values, horizon, season)));
        methods.add(protocol.score(values, ets.forecasts(values, horizon)));
        methods.add(protocol.score(values, ar.forecasts(values, horizon)));

        int modelSteps = model.info().outputSize()
                / Math.max(1, pipeline.input().fields().features());
        int engineHorizon = Math.min(horizon, modelSteps);
        PipelineConfig configured = pipeline.withInterval(TopologyReplay.medianInterval(series))
                .withForecast(pipeline.forecast().withHorizon(engineHorizon));
        TopologyReplay.Replayed published = TopologyReplay.run(configured, model, series);
        TopologyReplay.Replayed alone = configured.forecast().combine()
                ? TopologyReplay.run(
                        configured.withForecast(configured.forecast().withCombine(false)), model, series)
                : published;
        methods.add(protocol.score(values, OriginForecasts.ofEvents(MODEL_ALONE, alone.forecasts(), engineHorizon)));
        methods.add(protocol.score(values, OriginForecasts.ofEvents(PUBLISHED, published.forecasts(), engineHorizon)));
        return new ForecastEvaluation(
                series.name(),
                season,
                protocol,
                ets.describe(),
                ar.describe(),
                engineHorizon,
                List.copyOf(methods),
                published);
    }

    /** The scores of {@code method}. */
    public HoldoutProtocol.MethodScore method(String name) {
        return methods.stream()
                .filter(m -> m.method().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method " + name));
    }

    /** The classical method with the lowest MASE at {@code step}. */
    public HoldoutProtocol.MethodScore bestClassical(int step) {
        return methods.stream()
                .filter(m -> CLASSICAL.contains(m.method()))
                .min((a, b) -> Double.compare(a.at(step).mase(), b.at(step).mase()))
                .orElseThrow();
    }
}
