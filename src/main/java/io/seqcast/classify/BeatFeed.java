package io.seqcast.classify;

import io.seqcast.replay.CsvSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns an MIT-BIH record into a series of beat observations, as a beat detector in front of a classify pipeline
 * would: one observation per annotated beat, at the R peak's time, whose vector is the beat's window as the
 * heartbeat classifier was trained on it ({@link Heartbeats#window}). The annotations stand in for the detector.
 */
public final class BeatFeed {

    /** Leading share of the record whose standard deviation scales the windows, as in training. */
    public static final double SCALE_FRACTION = 0.6;

    private BeatFeed() {}

    /**
     * @param signal {@code mitdb_<record>_signal.csv.gz}
     * @param annotations {@code mitdb_<record>_annotations.csv}
     */
    public static CsvSeries read(Path signal, Path annotations) throws IOException {
        String name = CsvSeries.nameOf(signal).replace("_signal", "");
        List<Heartbeats.Beat> beats = Heartbeats.read(name, signal, annotations, SCALE_FRACTION);
        long[] times = new long[beats.size()];
        double[][] values = new double[beats.size()][];
        for (int i = 0; i < beats.size(); i++) {
            Heartbeats.Beat b = beats.get(i);
            times[i] = Math.round(b.sample() * 1000.0 / Heartbeats.RATE_HZ);
            values[i] = new double[b.window().length];
            for (int k = 0; k < values[i].length; k++) {
                values[i][k] = b.window()[k];
            }
        }
        return new CsvSeries(name, times, values);
    }
}
