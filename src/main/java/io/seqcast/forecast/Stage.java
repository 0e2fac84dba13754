package io.seqcast.forecast;

import io.seqcast.state.Section;

/**
 * One part of the per-series step, with its own slice of the series' state. A pipeline's step is an ordered list of
 * stages ({@link Stages#standard}); for each accepted observation the {@link SeriesForecaster} calls, in list order,
 * every stage's {@link #observe}, then every stage's {@link #advance} once per model step (the observation's, and
 * before it one per imputed step of a gap). Stages talk through the {@link Step} (the observation, its expected value
 * and score, the model's forecasts of this step, ...), and may read another stage's slice
 * ({@code step.state().slice(other)}), but write only their own.
 *
 * <p>Lifecycle of a slice: {@link #initial} for a series never seen (or one that starts afresh); when a stored state
 * is read, {@link #fits} says whether the stored slice suits this pipeline (a slice that does not is started afresh,
 * or the whole series is when {@link #restartsSeries}); {@link #adopt} may adjust a fitting one; {@link #reset} on a
 * gap that resets the series. Each slice is stored as its own section ({@link Section}: tag, version, codec), so a
 * stage's format evolves on its own.
 *
 * <p>Adding a stage: write one class implementing this interface (its slice type, a free {@link #tag}, its codec and
 * what it does per observation), and register it in {@link Stages#standard} at its place in the order (or pass it to
 * {@link SeriesForecaster#SeriesForecaster(io.seqcast.config.PipelineConfig, io.seqcast.model.SequenceModel,
 * java.util.function.UnaryOperator)}). States stored before it existed get its {@link #initial} slice; states stored
 * with it are read by builds without it (its section is skipped). {@code StageExtensionTest} shows one.
 *
 * <p>Stages run on the hot path: no allocation per observation where it can be helped, no logging. Not thread-safe;
 * one instance per stream task, as the forecaster.
 *
 * @param <S> the slice's type
 */
public interface Stage<S> extends Section<S> {

    /** The slice of a series never seen (or started afresh). */
    S initial();

    /** True when a stored {@code slice} suits this pipeline's settings (sizes, features, horizon, ...). */
    default boolean fits(S slice) {
        return true;
    }

    /** True when a stored slice that does not {@link #fits fit} means the whole series must start afresh. */
    default boolean restartsSeries() {
        return false;
    }

    /**
     * True when the stored {@code slice}, though it fits, means the series must warm up again: every stage's
     * {@link #reset} runs after adoption (the model's architecture changed).
     */
    default boolean warmsUp(S slice) {
        return false;
    }

    /** The slice to continue from for a stored one that fits: itself by default, adjusted if need be. */
    default S adopt(S slice) {
        return slice;
    }

    /** Per accepted observation, in stage order, before the model steps. */
    default void observe(Step step, S slice) {}

    /**
     * Per model step, in stage order: the observation's ({@link Step#stepValues} are its values), and each imputed
     * step of a gap before it.
     */
    default void advance(Step step, S slice) {}

    /** A gap reset the series: forget what depends on its recent past; it warms up again. */
    default void reset(S slice) {}
}
