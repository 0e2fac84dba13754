package io.seqcast.event;

import io.seqcast.errors.InvalidRecordException;
import io.seqcast.errors.Reason;
import java.time.Duration;
import java.time.Instant;

/**
 * Which event times the engine accepts, whatever their format (epoch milliseconds or ISO-8601 text):
 *
 * <ul>
 *   <li>always within {@link #EARLIEST} .. {@link #LATEST} (years 0001 to 9999, the range every ISO-8601 reader
 *       handles); a time outside is refused by the parser;
 *   <li>at most {@link #maxAhead} after the wall clock (clock skew between producers and the engine), so that one
 *       record from the far future cannot carry a series, or the clock that expires idle series, ahead of the rest;
 *   <li>when {@link #maxBehind} is set, at most that long before the wall clock. Unbounded by default, so that
 *       history can be replayed.
 * </ul>
 *
 * Times before a series' last accepted time are refused per series ({@code late}, {@code duplicate}). A refused time
 * goes to the dead-letter topic with reason {@link Reason#TIME_OUT_OF_RANGE}.
 *
 * @param maxAhead how far after the wall clock an event time may be
 * @param maxBehind how far before the wall clock an event time may be; null for no bound
 */
public record TimeWindow(Duration maxAhead, Duration maxBehind) {

    /** 0001-01-01T00:00:00Z in epoch milliseconds: the earliest event time accepted. */
    public static final long EARLIEST = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
    /** 9999-12-31T23:59:59.999Z in epoch milliseconds: the latest event time accepted. */
    public static final long LATEST = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    /** One day ahead of the wall clock at most, no bound behind it. */
    public static final TimeWindow DEFAULT = new TimeWindow(Duration.ofDays(1), null);

    public TimeWindow {
        if (maxAhead == null || maxAhead.isNegative()) {
            throw new IllegalArgumentException("maxAhead must be zero or positive: " + maxAhead);
        }
        if (maxBehind != null && maxBehind.isNegative()) {
            throw new IllegalArgumentException("maxBehind must be zero or positive: " + maxBehind);
        }
    }

    /** True when {@code epochMillis} is within {@link #EARLIEST} .. {@link #LATEST}. */
    public static boolean inRange(long epochMillis) {
        return epochMillis >= EARLIEST && epochMillis <= LATEST;
    }

    /**
     * Refuses {@code time} when it is outside the window around {@code wallClock}.
     *
     * @param field the time field's name, for the refusal's detail
     */
    public void check(String field, long time, long wallClock) throws InvalidRecordException {
        if (!inRange(time)) {
            throw outOfRange(field, Long.toString(time));
        }
        long ahead = time - wallClock; // both within years 0001..9999 or a real clock: no overflow
        if (ahead > maxAhead.toMillis()) {
            throw new InvalidRecordException(
                    Reason.TIME_OUT_OF_RANGE,
                    "field '" + field + "' is " + Instant.ofEpochMilli(time) + ", " + Duration.ofMillis(ahead)
                            + " after the wall clock (" + Instant.ofEpochMilli(wallClock) + "); at most " + maxAhead
                            + " ahead is accepted (time.max.ahead.ms)");
        }
        if (maxBehind != null && -ahead > maxBehind.toMillis()) {
            throw new InvalidRecordException(
                    Reason.TIME_OUT_OF_RANGE,
                    "field '" + field + "' is " + Instant.ofEpochMilli(time) + ", " + Duration.ofMillis(-ahead)
                            + " before the wall clock (" + Instant.ofEpochMilli(wallClock) + "); at most " + maxBehind
                            + " behind is accepted (time.max.behind.ms)");
        }
    }

    /** The refusal of a time outside years 0001..9999, as written ({@code text}). */
    static InvalidRecordException outOfRange(String field, String text) {
        return new InvalidRecordException(
                Reason.TIME_OUT_OF_RANGE,
                "field '" + field + "' is " + ObservationParser.abbreviate(text) + ", outside the accepted range "
                        + Instant.ofEpochMilli(EARLIEST) + " .. " + Instant.ofEpochMilli(LATEST) + " ("
                        + EARLIEST + " .. " + LATEST + " epoch ms)");
    }
}
