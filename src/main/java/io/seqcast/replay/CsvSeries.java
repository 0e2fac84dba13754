package io.seqcast.replay;

import io.seqcast.errors.InvalidRecordException;
import io.seqcast.event.TimeText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A time series read from a CSV file (optionally gzip-compressed; {@link CsvRows}: quoted fields allowed) with a header row: one time column and one or more
 * value columns. Times as {@link TimeText#parse} reads them, or numbers (epoch milliseconds).
 *
 * @param name series id
 * @param times event times, epoch milliseconds, in file order
 * @param values one row of values per time
 */
public record CsvSeries(String name, long[] times, double[][] values) {

    public int size() {
        return times.length;
    }

    /** The first value column as an array. */
    public double[] firstColumn() {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i][0];
        }
        return out;
    }

    /** The first {@code rows} rows (all when there are fewer). */
    public CsvSeries head(int rows) {
        if (rows >= size()) {
            return this;
        }
        return new CsvSeries(name, Arrays.copyOf(times, rows), Arrays.copyOf(values, rows));
    }

    /**
     * This series downsampled by the mean of each {@code k} consecutive rows (an incomplete last group is dropped),
     * each mean timed at the last row of its group, when it is known.
     */
    public CsvSeries meanOf(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("cannot take the mean of " + k + " rows; give 1 or more");
        }
        if (k == 1) {
            return this;
        }
        int groups = size() / k;
        long[] t = new long[groups];
        double[][] v = new double[groups][];
        for (int g = 0; g < groups; g++) {
            double[] mean = new double[values[g * k].length];
            for (int r = g * k; r < (g + 1) * k; r++) {
                for (int c = 0; c < mean.length; c++) {
                    mean[c] += values[r][c];
                }
            }
            for (int c = 0; c < mean.length; c++) {
                mean[c] /= k;
            }
            t[g] = times[(g + 1) * k - 1];
            v[g] = mean;
        }
        return new CsvSeries(name, t, v);
    }

    /**
     * Reads {@code file}.
     *
     * @param timeColumn name of the time column; null for the first column
     * @param valueColumns names of the value columns; empty for the second column
     */
    public static CsvSeries read(Path file, String name, String timeColumn, List<String> valueColumns)
            throws IOException {
        try (CsvRows rows = CsvRows.open(file)) {
            String[] header = rows.next();
            if (header == null) {
                throw new IOException(file + " is empty; expected a header row");
            }
            List<String> columns = Arrays.asList(header);
            int timeIndex = timeColumn == null ? 0 : index(file, columns, timeColumn);
            int[] valueIndex = valueColumns.isEmpty()
                    ? new int[] {1}
                    : valueColumns.stream()
                            .mapToInt(c -> index(file, columns, c))
                            .toArray();
            int needed = Math.max(timeIndex, Arrays.stream(valueIndex).max().orElse(0)) + 1;
            List<Long> times = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            for (String[] cells = rows.next(); cells != null; cells = rows.next()) {
                try {
                    if (cells.length < needed) {
                        throw new IllegalArgumentException(
                                "has " + cells.length + " columns; the header has " + columns.size());
                    }
                    times.add(time(cells[timeIndex]));
                    double[] row = new double[valueIndex.length];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = Double.parseDouble(cells[valueIndex[i]]);
                    }
                    values.add(row);
                } catch (RuntimeException | InvalidRecordException e) {
                    throw new IOException(file + " line " + rows.line() + ": " + e.getMessage(), e);
                }
            }
            return new CsvSeries(
                    name, times.stream().mapToLong(Long::longValue).toArray(), values.toArray(new double[0][]));
        }
    }

    /** Series id from a file name: {@code data/nab/nyc_taxi.csv} is {@code nyc_taxi}. */
    public static String nameOf(Path file) {
        String n = file.getFileName().toString();
        return n.replaceAll("\\.csv(\\.gz)?$", "");
    }

    private static int index(Path file, List<String> columns, String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(file + " has no column '" + column + "'; its columns are " + columns);
        }
        return i;
    }

    private static long time(String cell) throws InvalidRecordException {
        boolean number = !cell.isEmpty() && Character.isDigit(cell.charAt(0)) && !cell.contains("-");
        if (number && (cell.length() != 10 || cell.contains("."))) {
            return Math.round(Double.parseDouble(cell));
        }
        return TimeText.parse(cell);
    }
}
