package io.seqcast.forecast;

import io.seqcast.errors.Reason;
import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;

/** What one observation did to its series: accepted with its events, or refused with the reason. */
public sealed interface Outcome permits Outcome.Accepted, Outcome.Refused {

    /**
     * The observation was taken: its forecast event, the alert event it caused (or null), and what a gap before it
     * did.
     */
    record Accepted(Forecast forecast, AnomalyAlert alert, Gap gap, int imputed) implements Outcome {}

    /** The observation was refused; the series' state is unchanged. */
    record Refused(Reason reason, String detail) implements Outcome {}

    /** What happened to the time before an observation. */
    enum Gap {
        NONE,
        IMPUTED,
        RESET
    }
}
