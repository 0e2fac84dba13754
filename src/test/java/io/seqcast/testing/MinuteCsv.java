package io.seqcast.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/** A series of one value a minute as a CSV file of the form {@code seqcast train} and {@code replay} read. */
public final class MinuteCsv {

    private MinuteCsv() {}

    /**
     * Writes {@code file}: a {@code timestamp,value} header, then {@code n} rows one minute apart from 2014-07-01
     * 00:00:00, row {@code i} holding {@code value.applyAsDouble(i)} to four decimals.
     *
     * @param n at most a day of minutes (1440), so that no time repeats
     */
    public static Path write(Path file, int n, IntToDoubleFunction value) throws IOException {
        if (n < 0 || n > 24 * 60) {
            throw new IllegalArgumentException("a day holds 0 to 1440 minutes, not " + n);
        }
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < n; i++) {
            b.append(String.format(
                    Locale.ROOT, "2014-07-01 %02d:%02d:00,%.4f%n", i / 60, i % 60, value.applyAsDouble(i)));
        }
        return Files.writeString(file, b.toString());
    }
}
