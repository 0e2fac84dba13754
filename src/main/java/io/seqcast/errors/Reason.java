package io.seqcast.errors;

import java.util.Locale;

/** Why a record was sent to the dead-letter topic. The {@link #code()} is stable: dashboards and consumers use it. */
public enum Reason {
    /** The value is not valid JSON (or not a JSON object). */
    UNPARSEABLE,
    /** A required field (series, time, value) is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong type or an unreadable format (for example a time that is not ISO-8601 or epoch ms). */
    INVALID_FIELD,
    /** A value is NaN, infinite, outside the finite range of a double, or beyond +-1e30 (see ObservationParser). */
    NON_FINITE,
    /** A vector value has another length than the pipeline's {@code input.features}. */
    WRONG_VECTOR_LENGTH,
    /** The Kafka record has no key; records must be keyed by series id. */
    MISSING_KEY,
    /** The Kafka record key differs from the series id in the value. */
    KEY_MISMATCH,
    /**
     * The event time is outside the accepted range (years 0001 to 9999, whether written as epoch milliseconds or
     * ISO-8601 text) or the window around the wall clock ({@code time.max.ahead.ms}, {@code time.max.behind.ms}).
     */
    TIME_OUT_OF_RANGE,
    /** The event time is older than the series' last accepted event time. */
    LATE,
    /** The event time equals the series' last accepted event time. */
    DUPLICATE;

    /** Lower-case, dash-separated code, as written in the {@code seqcast.dlq.reason} header and metric tag. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
