package io.seqcast.replay;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The rows of a CSV file (gzip-compressed when its name ends in {@code .gz}), header row included, as parsed by
 * jackson-dataformat-csv: RFC 4180 quoting (a quoted field may hold commas, line breaks and doubled quotes),
 * surrounding spaces trimmed, empty lines and {@code #} comment lines skipped. Every CSV input of seqcast goes
 * through here.
 *
 * <pre>{@code
 * try (CsvRows rows = CsvRows.open(file)) {
 *     for (String[] row = rows.next(); row != null; row = rows.next()) { ... rows.line() ... }
 * }
 * }</pre>
 */
public final class CsvRows implements Closeable {

    private static final ObjectReader READER = new CsvMapper()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvParser.Feature.ALLOW_COMMENTS)
            .readerFor(String[].class);

    private final MappingIterator<String[]> rows;
    private final Path file;
    private long rowLine;

    private CsvRows(MappingIterator<String[]> rows, Path file) {
        this.rows = rows;
        this.file = file;
    }

    public static CsvRows open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new CsvRows(
                    READER.readValues(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)),
                    file);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Every row of {@code file}, header included. */
    public static List<String[]> readAll(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (CsvRows rows = open(file)) {
            for (String[] row = rows.next(); row != null; row = rows.next()) {
                out.add(row);
            }
        }
        return out;
    }

    /**
     * The next row, or null at the end of the file.
     *
     * @throws IOException naming the file and line of malformed CSV (an unclosed quote)
     */
    public String[] next() throws IOException {
        try {
            if (!rows.hasNextValue()) {
                return null;
            }
            rowLine = rows.getCurrentLocation().getLineNr();
            return rows.nextValue();
        } catch (UncheckedIOException e) {
            rowLine = 0;
            throw new IOException(file + " line " + line() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (IOException e) {
            rowLine = 0;
            throw new IOException(file + " line " + line() + ": " + e.getMessage(), e);
        }
    }

    /** Line number (1-based) where the row last returned starts (where the parser is, while it reads one). */
    public long line() {
        return rowLine > 0 ? rowLine : rows.getCurrentLocation().getLineNr();
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
