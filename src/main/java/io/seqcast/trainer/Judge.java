package io.seqcast.trainer;

import java.util.List;
import java.util.Locale;

/**
 * The champion/challenger rule: whether a challenger's held-back scores earn it the place of the serving model.
 * Ties go to the champion; a non-finite challenger score is a loss.
 *
 * @param rule {@link Rule#EVERY} or {@link Rule#AGGREGATE}
 * @param tolerance with {@link Rule#AGGREGATE}: how much worse than the champion, as a fraction of the champion's
 *     error, the challenger may be on any one series
 */
public record Judge(Rule rule, double tolerance) {

    /** How the per-series comparisons combine. */
    public enum Rule {
        /** The challenger's error is lower than the champion's on every judged series. */
        EVERY,
        /**
         * The challenger's mean MASE over the judged series is lower than the champion's, and on no series is its
         * error more than {@code tolerance} above the champion's.
         */
        AGGREGATE
    }

    public Judge {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
        }
    }

    /** A pair of held-back scores of one series. */
    public record Pair(String series, HeldOutScore champion, HeldOutScore challenger) {}

    /**
     * The verdict of one series: {@code better}, {@code within-tolerance} (not better, but within the tolerance of
     * {@link Rule#AGGREGATE}) or {@code worse}.
     */
    public String verdict(Pair p) {
        double champion = p.champion().mae();
        double challenger = p.challenger().mae();
        if (!Double.isFinite(challenger)) {
            return "worse";
        }
        if (challenger < champion) {
            return "better";
        }
        return rule == Rule.AGGREGATE && challenger <= champion * (1 + tolerance) ? "within-tolerance" : "worse";
    }

    /** Null when the challenger wins over {@code pairs}; else why not, in one sentence. */
    public String refusal(List<Pair> pairs) {
        if (pairs.isEmpty()) {
            return "no series long enough to judge";
        }
        List<String> worse = pairs.stream()
                .filter(p -> verdict(p).equals("worse"))
                .map(Pair::series)
                .toList();
        if (rule == Rule.EVERY) {
            List<String> notBetter = pairs.stream()
                    .filter(p -> !verdict(p).equals("better"))
                    .map(Pair::series)
                    .toList();
            return notBetter.isEmpty()
                    ? null
                    : "not better on " + notBetter.size() + " of " + pairs.size() + " series (" + first(notBetter)
                            + ")";
        }
        if (!worse.isEmpty()) {
            return String.format(
                    Locale.ROOT,
                    "more than %.0f%% worse on %d of %d series (%s)",
                    tolerance * 100,
                    worse.size(),
                    pairs.size(),
                    first(worse));
        }
        double champion = meanMase(pairs, true);
        double challenger = meanMase(pairs, false);
        return challenger < champion
                ? null
                : String.format(Locale.ROOT, "mean MASE %.4f is not below the champion's %.4f", challenger, champion);
    }

    /** Mean MASE over the pairs, of the champion or the challenger. */
    public static double meanMase(List<Pair> pairs, boolean champion) {
        double sum = 0;
        for (Pair p : pairs) {
            sum += (champion ? p.champion() : p.challenger()).mase();
        }
        return pairs.isEmpty() ? Double.NaN : sum / pairs.size();
    }

    /** The rule and tolerance, as recorded. */
    public String describe() {
        return rule == Rule.EVERY ? "every" : String.format(Locale.ROOT, "aggregate, tolerance %.3f", tolerance);
    }

    private static String first(List<String> names) {
        return names.size() <= 3 ? String.join(", ", names) : String.join(", ", names.subList(0, 3)) + ", ...";
    }
}
