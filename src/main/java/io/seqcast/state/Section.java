package io.seqcast.state;

/**
 * The stored form of one slice of a series' state: a section of {@link SeriesStateSerde}'s format, with its own tag and
 * its own format version, so that a slice's format changes without touching the others'. The per-series stages
 * implement it for the slice they own ({@code forecast.Stage}).
 *
 * <p>Contracts: {@link #tag} is unique among the sections of a pipeline and never reused for another meaning (the
 * built-in tags are listed in {@code forecast.Stages}); {@link #write} writes everything {@link #read} needs, sizes
 * included (a section is self-describing: it is decoded without the pipeline's settings); {@link #read} reads every
 * version from 1 to {@link #version} (a newer one is refused before it is called, naming both versions).
 *
 * @param <S> the slice's type: a small mutable class, owned by one stage, never shared between series
 */
public interface Section<S> {

    /** This section's tag in the stored state: 1 to 127, unique among a pipeline's sections. */
    int tag();

    /** Format version of this section written by this build (1 to 127): 1 until its format changes. */
    default int version() {
        return 1;
    }

    /** Writes {@code slice}. */
    void write(S slice, StateOutput out);

    /** Reads a slice written by {@link #write} of format {@code version}, at most {@link #version}. */
    S read(StateInput in, int version);

    /**
     * The slice of a state stored in a format before sections existed (versions 1 to 5), or null to start the slice
     * afresh (a slice those formats did not have).
     */
    default S upgrade(LegacyState old) {
        return null;
    }
}
