package io.seqcast.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Known-ahead covariates of an observation, computed from its event time (UTC) alone: per covariate a sine and a cosine
 * of the time's phase in its cycle. A model trained with covariates takes them after the observation's values at every
 * input step; {@code seqcast train --covariates} and the engine's model stage compute them here, so training and
 * serving agree.
 *
 * <ul>
 *   <li>{@code time-of-day}: phase {@code (time mod 1 day) / 1 day}, 0 at midnight UTC;
 *   <li>{@code day-of-week}: phase {@code (time - Monday 00:00 UTC mod 7 days) / 7 days}, 0 at Monday midnight UTC.
 * </ul>
 *
 * @param kinds the covariates, in input order (sine then cosine of each); empty for none
 */
public record Covariates(List<Kind> kinds) {

    /** No covariates: the model takes the observation's values alone. */
    public static final Covariates NONE = new Covariates(List.of());

    /** Prefix of a covariate's input feature names in a model's metadata, e.g. {@code covariate:time-of-day.sin}. */
    public static final String PREFIX = "covariate:";

    private static final long DAY_MS = 86_400_000L;
    /** 1970-01-05, the first Monday after the epoch (a Thursday). */
    private static final long FIRST_MONDAY_MS = 4 * DAY_MS;

    /** One covariate: a cycle of event time. */
    public enum Kind {
        TIME_OF_DAY("time-of-day", DAY_MS, 0),
        DAY_OF_WEEK("day-of-week", 7 * DAY_MS, FIRST_MONDAY_MS);

        private final String id;
        private final long period;
        private final long origin;

        Kind(String id, long period, long origin) {
            this.id = id;
            this.period = period;
            this.origin = origin;
        }

        /** Its name in pipelines, commands and metadata. */
        public String id() {
            return id;
        }

        /** The phase in [0, 1) of {@code epochMillis} in this cycle. */
        public double phase(long epochMillis) {
            return Math.floorMod(epochMillis - origin, period) / (double) period;
        }

        /** The kind named {@code id}; refuses an unknown name, naming the known ones. */
        public static Kind of(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown covariate '" + id + "'; known: " + ids());
        }

        /** The known names. */
        public static List<String> ids() {
            List<String> out = new ArrayList<>();
            for (Kind k : values()) {
                out.add(k.id);
            }
            return out;
        }
    }

    public Covariates {
        kinds = List.copyOf(kinds);
        if (kinds.stream().distinct().count() != kinds.size()) {
            throw new IllegalArgumentException("covariates " + kinds + " name one twice");
        }
    }

    /** The covariates named in {@code ids} (e.g. {@code time-of-day}), in that order; blank names are skipped. */
    public static Covariates of(List<String> ids) {
        List<Kind> out = new ArrayList<>();
        for (String id : ids) {
            if (!id.isBlank()) {
                out.add(Kind.of(id));
            }
        }
        return new Covariates(out);
    }

    /**
     * The covariates recorded in a model's input feature names ({@link #names()}), in order; {@link #NONE} if it has
     * none.
     */
    public static Covariates ofInputFeatures(List<String> inputFeatures) {
        List<String> ids = new ArrayList<>();
        for (String f : inputFeatures) {
            if (f.startsWith(PREFIX)) {
                String id = f.substring(PREFIX.length()).replaceAll("\\.(sin|cos)$", "");
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return of(ids);
    }

    /** Inputs per step these covariates add: two per covariate. */
    public int width() {
        return 2 * kinds.size();
    }

    /** Whether there are none. */
    public boolean isEmpty() {
        return kinds.isEmpty();
    }

    /** Their names, as {@code model.covariates} and {@code --covariates} take them. */
    public List<String> ids() {
        return kinds.stream().map(Kind::id).toList();
    }

    /** The input feature names they add to a model's metadata, in input order. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (Kind k : kinds) {
            out.add(PREFIX + k.id + ".sin");
            out.add(PREFIX + k.id + ".cos");
        }
        return out;
    }

    /** Writes the {@link #width()} covariates of event time {@code epochMillis} into {@code out} from {@code offset}. */
    public void fill(long epochMillis, float[] out, int offset) {
        for (int i = 0; i < kinds.size(); i++) {
            double angle = 2 * Math.PI * kinds.get(i).phase(epochMillis);
            out[offset + 2 * i] = (float) Math.sin(angle);
            out[offset + 2 * i + 1] = (float) Math.cos(angle);
        }
    }

    @Override
    public String toString() {
        return kinds.isEmpty() ? "none" : String.join(",", ids());
    }
}
