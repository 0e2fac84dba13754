package io.seqcast.learn;

/**
 * Inputs that fit a series, computed by this one class wherever they are used: calendar terms of an event time and
 * scale-free changes of a value.
 */
public final class Inputs {

    /** Calendar terms of an event time (UTC). */
    public enum Calendar {
        /** None. */
        NONE(0),
        /** Time of day: sine and cosine of its phase. */
        DAILY(2),
        /** Time of day and day of week: sine and cosine of each phase. */
        WEEKLY(4);

        private final int terms;

        Calendar(int terms) {
            this.terms = terms;
        }

        /** Inputs this choice adds. */
        public int terms() {
            return terms;
        }
    }

    /** How a change of the value is measured. */
    public enum Change {
        /** {@code x(t) - x(t-1)}, in units of the series' recent mean absolute difference. */
        DIFFERENCE,
        /** {@code x(t) / x(t-1) - 1}, in units of the series' recent mean absolute return (prices). */
        RETURN
    }

    /** Memory, in observations, of the change scale (as the normalisation's). */
    public static final int SCALE_MEMORY = 1000;
    /** Change inputs are clipped to this many units. */
    public static final double CLIP = 10;

    private static final long DAY_MS = 86_400_000L;
    private static final long WEEK_MS = 7 * DAY_MS;

    private Inputs() {}

    /** Writes the calendar terms of {@code timeMs} into {@code out} from {@code offset}; returns the next offset. */
    public static int calendar(Calendar calendar, long timeMs, double[] out, int offset) {
        if (calendar == Calendar.NONE) {
            return offset;
        }
        double day = 2 * Math.PI * Math.floorMod(timeMs, DAY_MS) / DAY_MS;
        out[offset++] = Math.sin(day);
        out[offset++] = Math.cos(day);
        if (calendar == Calendar.WEEKLY) {
            // epoch day 0 was a Thursday; the phase starts on Monday
            double week = 2 * Math.PI * Math.floorMod(timeMs + 3 * DAY_MS, WEEK_MS) / WEEK_MS;
            out[offset++] = Math.sin(week);
            out[offset++] = Math.cos(week);
        }
        return offset;
    }

    /** The raw change from {@code before} to {@code now}: a difference or a return (0 when undefined). */
    public static double change(Change kind, double now, double before) {
        if (kind == Change.DIFFERENCE) {
            return now - before;
        }
        return before == 0 ? 0 : now / before - 1;
    }

    /**
     * The unit that a change away from {@code level} is measured in, for a series whose mean absolute change is
     * {@code scale}: the scale itself for differences, {@code |level| * scale} for returns. Never 0.
     */
    public static double unit(Change kind, double scale, double level) {
        double u = kind == Change.DIFFERENCE ? scale : Math.abs(level) * scale;
        return Math.max(u, 1e-9 * Math.max(1, Math.abs(level)));
    }

    /** {@code value} in units {@code unit}, clipped to {@link #CLIP}; 0 when not a number. */
    public static double scaled(double value, double unit) {
        double z = value / unit;
        return Double.isNaN(z) ? 0 : Math.max(-CLIP, Math.min(CLIP, z));
    }

    /** The change scale after one more absolute change {@code a}, with {@code count} changes before it. */
    public static double updateScale(double scale, int count, double a) {
        return scale + (a - scale) / Math.min(count + 1, SCALE_MEMORY);
    }
}
