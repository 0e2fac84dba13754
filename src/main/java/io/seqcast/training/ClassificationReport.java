package io.seqcast.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-class precision and recall of a classifier on labelled examples.
 *
 * @param classes class names, in output order
 * @param confusion {@code confusion[actual][predicted]} counts
 */
public record ClassificationReport(List<String> classes, long[][] confusion) {

    /** Counts predictions against actual classes (both class indices). */
    public static ClassificationReport of(List<String> classes, int[] actual, int[] predicted) {
        long[][] confusion = new long[classes.size()][classes.size()];
        for (int i = 0; i < actual.length; i++) {
            confusion[actual[i]][predicted[i]]++;
        }
        return new ClassificationReport(List.copyOf(classes), confusion);
    }

    /** Examples of class {@code c}. */
    public long support(int c) {
        long n = 0;
        for (long v : confusion[c]) {
            n += v;
        }
        return n;
    }

    /** Of the examples predicted as {@code c}, the fraction that are {@code c}; NaN if none was predicted. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
    }

    /** Of the examples of class {@code c}, the fraction predicted as {@code c}; NaN if there are none. */
    public double recall(int c) {
        long n = support(c);
        return n == 0 ? Double.NaN : (double) confusion[c][c] / n;
    }

    public double accuracy() {
        long right = 0;
        long all = 0;
        for (int a = 0; a < confusion.length; a++) {
            for (int p = 0; p < confusion.length; p++) {
                all += confusion[a][p];
                if (a == p) {
                    right += confusion[a][p];
                }
            }
        }
        return all == 0 ? Double.NaN : (double) right / all;
    }

    /** A Markdown table: class, support, precision, recall. */
    public String table() {
        List<String> lines = new ArrayList<>();
        lines.add("| class | support | precision | recall |");
        lines.add("|---|---:|---:|---:|");
        for (int c = 0; c < classes.size(); c++) {
            lines.add(String.format(
                    Locale.ROOT, "| %s | %d | %.3f | %.3f |", classes.get(c), support(c), precision(c), recall(c)));
        }
        lines.add(String.format(Locale.ROOT, "accuracy %.4f", accuracy()));
        return String.join("\n", lines);
    }
}
