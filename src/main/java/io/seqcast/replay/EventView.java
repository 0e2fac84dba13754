package io.seqcast.replay;

import io.seqcast.event.AnomalyAlert;
import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Readable one-line renderings of output events, for the terminal. */
public final class EventView {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private EventView() {}

    public static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String number(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-2)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.3f", v);
    }

    public static String interval(ForecastStep s) {
        return number(s.value()) + " [" + number(s.lower()) + ", " + number(s.upper()) + "]";
    }

    public static String forecast(Forecast f) {
        String next = f.steps().isEmpty() ? "-" : interval(f.steps().get(0));
        String expected = f.expected() == null ? "-" : interval(f.expected());
        return String.format(
                Locale.ROOT,
                "%-40s %s  observed %-10s expected %-28s next %-28s score %.4f%s",
                f.series(),
                time(f.time()),
                number(f.observed()),
                expected,
                next,
                f.anomalyScore(),
                f.warmingUp() ? " (warming up)" : "");
    }

    public static String alert(AnomalyAlert a) {
        String expected = a.expected() == null ? "-" : interval(a.expected());
        return String.format(
                Locale.ROOT,
                "ALERT %-8s %-8s %-40s %s  observed %s  expected %s  score %.6f  [%s %s]",
                a.lifecycle().name().toLowerCase(Locale.ROOT),
                a.severity().name().toLowerCase(Locale.ROOT),
                a.series(),
                time(a.time()),
                number(a.observed()),
                expected,
                a.anomalyScore(),
                a.model().name(),
                a.model().version());
    }
}
