package io.seqcast.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A two-lead ECG record in the CSV form of {@code data/ecg} ({@code mitdb_<record>_signal.csv[.gz]}:
 * {@code timestamp_ms,<lead>,<lead>}; {@code mitdb_<record>_annotations.csv}: {@code sample,timestamp_ms,symbol,
 * is_beat,aux}). Lead 1 is the column named {@code lead_mlii} when there is one (MIT-BIH record 114 has it second),
 * else the first; lead 2 is the other.
 *
 * @param name record name, e.g. {@code mitdb_100}
 * @param rate sample rate (Hz), from the timestamps
 * @param lead1 lead 1, millivolts
 * @param lead2 lead 2, millivolts
 * @param beats the beat annotations in AAMI classes, in time order (paced and unclassified beats as Q)
 * @param flutter episodes of ventricular flutter or fibrillation ({@code [} to {@code ]} annotations), as sample
 *     ranges {@code [from, to]}: ANSI/AAMI EC57 leaves them out of beat detection figures (they have no beats)
 */
public record EcgRecord(
        String name, double rate, float[] lead1, float[] lead2, List<Annotation> beats, List<long[]> flutter) {

    /** Whether sample {@code i} lies in a flutter episode. */
    public boolean inFlutter(long i) {
        for (long[] e : flutter) {
            if (i >= e[0] && i <= e[1]) {
                return true;
            }
        }
        return false;
    }

    /** A reference beat: sample index of its R peak, annotation symbol and AAMI class. */
    public record Annotation(long sample, String symbol, AamiClass aami) {}

    public int size() {
        return lead1.length;
    }

    /** Both leads from sample {@code from} (inclusive) to {@code to}, interleaved. */
    public double[] interleaved(int from, int to) {
        double[] out = new double[2 * (to - from)];
        for (int i = from; i < to; i++) {
            out[2 * (i - from)] = lead1[i];
            out[2 * (i - from) + 1] = lead2[i];
        }
        return out;
    }

    /** Every record in {@code dir}: signal files with their annotation files beside them, by name. */
    public static List<Path> signalFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> out = files.filter(p -> p.getFileName().toString().matches(".*_signal\\.csv(\\.gz)?"))
                    .sorted()
                    .toList();
            if (out.isEmpty()) {
                throw new IOException("no ECG records in " + dir + ": expected <record>_signal.csv[.gz] files with"
                        + " <record>_annotations.csv beside them (the format of data/ecg/README.md)");
            }
            return out;
        }
    }

    /** Where a signal file's annotations are: {@code <record>_annotations.csv} beside it. */
    public static Path annotationsOf(Path signal) {
        String file = signal.getFileName().toString();
        return signal.resolveSibling(file.substring(0, file.indexOf("_signal")) + "_annotations.csv");
    }

    /** The record of a signal file, its annotations read from {@link #annotationsOf} beside it. */
    public static EcgRecord read(Path signal) throws IOException {
        String file = signal.getFileName().toString();
        String name = file.substring(0, file.indexOf("_signal"));
        Path annotations = annotationsOf(signal);
        var in = Files.newInputStream(signal);
        var stream = file.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
        float[] a = new float[1 << 20];
        float[] b = new float[1 << 20];
        double firstTime = 0;
        double lastTime = 0;
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16)) {
            String header = r.readLine();
            if (header == null) {
                throw new IOException(signal + " is empty; expected a header timestamp_ms,<lead>,<lead>");
            }
            String[] columns = header.toLowerCase(Locale.ROOT).split(",");
            if (columns.length < 3) {
                throw new IOException(signal + ": expected columns timestamp_ms,<lead>,<lead>, got " + header);
            }
            boolean swap =
                    columns[2].trim().equals("lead_mlii") && !columns[1].trim().equals("lead_mlii");
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                int c1 = line.indexOf(',');
                int c2 = line.indexOf(',', c1 + 1);
                int c3 = line.indexOf(',', c2 + 1);
                if (c1 < 0 || c2 < 0) {
                    throw new IOException(signal + ": row " + (n + 2) + " has fewer than 3 columns: " + line);
                }
                if (n == a.length) {
                    a = Arrays.copyOf(a, 2 * n);
                    b = Arrays.copyOf(b, 2 * n);
                }
                double t = Double.parseDouble(line.substring(0, c1));
                float x = Float.parseFloat(line.substring(c1 + 1, c2));
                float y = Float.parseFloat(c3 < 0 ? line.substring(c2 + 1) : line.substring(c2 + 1, c3));
                a[n] = swap ? y : x;
                b[n] = swap ? x : y;
                if (n == 0) {
                    firstTime = t;
                }
                lastTime = t;
                n++;
            }
        }
        if (n < 2) {
            throw new IOException(signal + " holds fewer than 2 samples");
        }
        double rate = Math.round(1000.0 * (n - 1) / (lastTime - firstTime) * 1000) / 1000.0;
        List<Annotation> beats = new ArrayList<>();
        List<long[]> flutter = new ArrayList<>();
        if (Files.exists(annotations)) {
            List<String> lines = Files.readAllLines(annotations, StandardCharsets.UTF_8);
            long flutterFrom = -1;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", 5);
                if (f.length >= 3 && f[2].trim().equals("[")) {
                    flutterFrom = Long.parseLong(f[0].trim());
                } else if (f.length >= 3 && f[2].trim().equals("]") && flutterFrom >= 0) {
                    flutter.add(new long[] {flutterFrom, Long.parseLong(f[0].trim())});
                    flutterFrom = -1;
                }
                if (f.length < 4 || !"1".equals(f[3].trim())) {
                    continue;
                }
                AamiClass c = AamiClass.of(f[2].trim());
                beats.add(new Annotation(Long.parseLong(f[0].trim()), f[2].trim(), c == null ? AamiClass.Q : c));
            }
        }
        return new EcgRecord(
                name, rate, Arrays.copyOf(a, n), Arrays.copyOf(b, n), List.copyOf(beats), List.copyOf(flutter));
    }
}
