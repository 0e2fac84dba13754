package io.seqcast.classify;

import io.seqcast.replay.CsvRows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Heartbeat windows cut from an MIT-BIH record (CSV as in {@code data/ecg}): for every beat annotation, the first lead
 * from {@value #BEFORE} samples before the R peak to {@value #AFTER} after it (0.25 s and 0.45 s at 360 Hz),
 * averaged over blocks of {@value #DOWNSAMPLE} samples into {@value #STEPS} steps (60 Hz). Each window has its own
 * mean subtracted and is divided by the record's standard deviation over its first {@code scaleFraction} (the
 * training part, so held-out beats do not inform the scale). Class {@value #NORMAL} is annotation {@code N}; every other
 * beat annotation is {@value #ABNORMAL}.
 */
public final class Heartbeats {

    public static final int RATE_HZ = 360;
    public static final int BEFORE = 90;
    public static final int AFTER = 162;
    public static final int DOWNSAMPLE = 6;
    public static final int STEPS = (BEFORE + AFTER) / DOWNSAMPLE;
    public static final String NORMAL = "normal";
    public static final String ABNORMAL = "abnormal";
    public static final List<String> CLASSES = List.of(NORMAL, ABNORMAL);

    /** One beat: where it is, its annotation, its window ({@value #STEPS} values) and class index. */
    public record Beat(String record, int sample, String symbol, float[] window, int label) {}

    private Heartbeats() {}

    /**
     * Reads a record's beats in time order.
     *
     * @param signal {@code timestamp_ms,lead1,lead2} CSV, gzip-compressed if the name ends in {@code .gz}
     * @param annotations {@code sample,timestamp_ms,symbol,is_beat,aux} CSV
     * @param scaleFraction leading fraction of the signal whose standard deviation scales every window
     */
    public static List<Beat> read(String record, Path signal, Path annotations, double scaleFraction)
            throws IOException {
        float[] lead = firstLead(signal);
        int scaleEnd = (int) (lead.length * scaleFraction);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < scaleEnd; i++) {
            sum += lead[i];
            sumSq += (double) lead[i] * lead[i];
        }
        double mean = sum / scaleEnd;
        double std = Math.sqrt(Math.max(1e-12, sumSq / scaleEnd - mean * mean));
        List<Beat> beats = new ArrayList<>();
        List<String[]> rows = CsvRows.readAll(annotations);
        for (String[] f : rows.subList(Math.min(1, rows.size()), rows.size())) {
            if (f.length < 4 || !"1".equals(f[3].trim())) {
                continue;
            }
            int sample = Integer.parseInt(f[0].trim());
            if (sample - BEFORE < 0 || sample + AFTER > lead.length - 1) {
                continue; // too near either end of the record (its last sample is not physiological)
            }
            String symbol = f[2].trim();
            beats.add(new Beat(record, sample, symbol, window(lead, sample, std), "N".equals(symbol) ? 0 : 1));
        }
        return beats;
    }

    /** The window of the beat at {@code sample}, as the classifier sees it. */
    public static float[] window(float[] lead, int sample, double scale) {
        float[] w = new float[STEPS];
        double mean = 0;
        for (int s = 0; s < STEPS; s++) {
            double block = 0;
            for (int k = 0; k < DOWNSAMPLE; k++) {
                block += lead[sample - BEFORE + s * DOWNSAMPLE + k];
            }
            w[s] = (float) (block / DOWNSAMPLE);
            mean += w[s] / STEPS;
        }
        for (int s = 0; s < STEPS; s++) {
            w[s] = (float) ((w[s] - mean) / scale);
        }
        return w;
    }

    static float[] firstLead(Path signal) throws IOException {
        float[] values = new float[1 << 20];
        int n = 0;
        try (CsvRows rows = CsvRows.open(signal)) {
            rows.next(); // header
            for (String[] row = rows.next(); row != null; row = rows.next()) {
                if (n == values.length) {
                    values = java.util.Arrays.copyOf(values, n * 2);
                }
                try {
                    values[n++] = Float.parseFloat(row[1]);
                } catch (RuntimeException e) {
                    throw new IOException(signal + " line " + rows.line() + ": no lead value: " + e.getMessage(), e);
                }
            }
        }
        return java.util.Arrays.copyOf(values, n);
    }
}
