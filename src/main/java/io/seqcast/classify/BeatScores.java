package io.seqcast.classify;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per-class figures of a confusion matrix of AAMI classes ({@code [reference][predicted]}), for N, S, V, F, Q and for
 * normal (N) vs abnormal (the rest). Sensitivity = TP / reference beats of the class, positive predictivity (PPV) =
 * TP / beats given the class, F1 their harmonic mean; NaN where a denominator is zero.
 */
public final class BeatScores {

    private BeatScores() {}

    /** Figures of one class. */
    public record Score(double sensitivity, double ppv, double f1, long support) {}

    public static Map<String, Score> of(long[][] confusion) {
        Map<String, Score> out = new LinkedHashMap<>();
        for (int c = 0; c < 5; c++) {
            long tp = confusion[c][c];
            long ref = 0;
            long given = 0;
            for (int k = 0; k < 5; k++) {
                ref += confusion[c][k];
                given += confusion[k][c];
            }
            out.put(AamiClass.NAMES.get(c), score(tp, ref, given));
        }
        long nn = confusion[0][0];
        long nRef = 0;
        long nGiven = 0;
        long total = 0;
        for (int k = 0; k < 5; k++) {
            nRef += confusion[0][k];
            nGiven += confusion[k][0];
            for (int j = 0; j < 5; j++) {
                total += confusion[k][j];
            }
        }
        long aa = total - nRef - nGiven + nn;
        out.put(AamiClass.NORMAL, score(nn, nRef, nGiven));
        out.put(AamiClass.ABNORMAL, score(aa, total - nRef, total - nGiven));
        return out;
    }

    private static Score score(long tp, long reference, long given) {
        double se = reference == 0 ? Double.NaN : (double) tp / reference;
        double ppv = given == 0 ? Double.NaN : (double) tp / given;
        double f1 = tp == 0 ? (reference == 0 && given == 0 ? Double.NaN : 0) : 2 * se * ppv / (se + ppv);
        return new Score(se, ppv, f1, reference);
    }

    /** The confusion matrix and per-class figures as text. */
    public static String table(long[][] confusion) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s %7s %7s %7s %7s %7s%n", "ref\\given", "N", "S", "V", "F", "Q"));
        for (int c = 0; c < 5; c++) {
            b.append(String.format(Locale.ROOT, "%-10s", AamiClass.NAMES.get(c)));
            for (int k = 0; k < 5; k++) {
                b.append(String.format(Locale.ROOT, " %7d", confusion[c][k]));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%-10s %8s %8s %8s %8s%n", "class", "Se", "PPV", "F1", "beats"));
        of(confusion)
                .forEach((name, s) -> b.append(String.format(
                        Locale.ROOT,
                        "%-10s %8s %8s %8s %8d%n",
                        name,
                        pct(s.sensitivity()),
                        pct(s.ppv()),
                        pct(s.f1()),
                        s.support())));
        return b.toString();
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** Element-wise sum. */
    public static long[][] plus(long[][] a, long[][] b) {
        long[][] c = new long[5][5];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                c[i][j] = a[i][j] + b[i][j];
            }
        }
        return c;
    }
}
