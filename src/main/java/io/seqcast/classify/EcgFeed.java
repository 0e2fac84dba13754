package io.seqcast.classify;

import io.seqcast.replay.CsvSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

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

    /**
     * A record's lead 1 (MLII wherever the record has it) as one series of single values at a signal pipeline's sampling
     * interval: the mean of each run of samples one interval spans (4 at 360 Hz for an interval of 1/90 s), timed at
     * the run's first sample. What a monitor sending a downsampled lead would produce.
     *
     * @param seconds only the first this many seconds of the record; 0 for all
     * @throws IllegalArgumentException if the interval is shorter than the record's sampling period
     */
    public static CsvSeries lead(Path signal, Duration interval, double seconds) throws IOException {
        EcgRecord r = EcgRecord.read(signal);
        int run = (int) Math.round(interval.toNanos() * r.rate() / 1e9);
        if (run < 1) {
            throw new IllegalArgumentException(signal + " is sampled at " + r.rate() + " Hz; an interval of " + interval
                    + " is shorter than one sample");
        }
        int end = seconds > 0 ? (int) Math.min(r.size(), Math.round(seconds * r.rate())) : r.size();
        int n = end / run;
        long[] times = new long[n];
        double[][] values = new double[n][];
        for (int k = 0; k < n; k++) {
            double sum = 0;
            for (int i = k * run; i < (k + 1) * run; i++) {
                sum += r.lead1()[i];
            }
            times[k] = START + Math.round(k * run * 1000.0 / r.rate());
            values[k] = new double[] {sum / run};
        }
        return new CsvSeries(r.name() + "_lead1", times, values);
    }
}
