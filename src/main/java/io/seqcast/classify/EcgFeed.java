package io.seqcast.classify;

import io.seqcast.replay.CsvSeries;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns an ECG record's signal file into the observations an ECG pipeline reads (mode ecg): each observation carries
 * {@code samples} consecutive samples of both leads, interleaved ({@code lead1, lead2, lead1, ...}), at the time of its
 * first sample, the record's first sample at {@link #START}. What a two-lead recorder sending small packets would
 * produce.
 */
public final class EcgFeed {

    /** Event time of a record's first sample (records carry no wall-clock time): 2024-01-01T00:00:00Z. */
    public static final long START = 1_704_067_200_000L;

    private EcgFeed() {}

    /**
     * @param signal {@code <record>_signal.csv[.gz]}
     * @param samples samples of both leads per observation
     * @param seconds only the first this many seconds of the record; 0 for all
     */
    public static CsvSeries read(Path signal, int samples, double seconds) throws IOException {
        EcgRecord r = EcgRecord.read(signal);
        int end = seconds > 0 ? (int) Math.min(r.size(), Math.round(seconds * r.rate())) : r.size();
        int n = end / samples;
        long[] times = new long[n];
        double[][] values = new double[n][];
        for (int k = 0; k < n; k++) {
            times[k] = START + Math.round(k * samples * 1000.0 / r.rate());
            values[k] = r.interleaved(k * samples, (k + 1) * samples);
        }
        return new CsvSeries(r.name(), times, values);
    }
}
