package io.seqcast.forecast;

/** A forecaster's stage of a given class, for tests that look into one stage's slice. */
final class StagesOf {

    private StagesOf() {}

    static <T extends Stage<?>> T stage(SeriesForecaster f, Class<T> type) {
        return f.stages().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow();
    }
}
