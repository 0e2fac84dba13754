package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateForecastCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldPrintAndSaveEveryMethodOnTheReferenceProtocol() throws IOException {
        Path csv = dir.resolve("s.csv");
        StringBuilder b = new StringBuilder("timestamp,value\n");
        long start = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
        List<Double> raw = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            double v = 20 + 5 * Math.sin(2 * Math.PI * i / 48.0) + Math.sin(i * 1.7);
            raw.add(v);
            b.append(Instant.ofEpochMilli(start + i * 150_000L)
                            .toString()
                            .replace("T", " ")
                            .replace("Z", ""))
                    .append(',')
                    .append(v)
                    .append('\n');
        }
        Files.writeString(csv, b.toString());
        Path json = dir.resolve("out/result.json");
        SeqcastCommandTest.Result r = SeqcastCommandTest.run(
                "evaluate",
                "forecast",
                "--pipeline",
                "topology/machines.yaml",
                "--resample-mean",
                "2",
                "--season",
                "24",
                "--horizon",
                "3",
                "--json",
                json.toString(),
                "--forecasts",
                dir.resolve("rows").toString(),
                "--plots",
                dir.resolve("plots").toString(),
                csv.toString());
        assertEquals(0, r.exit(), r.err());
        for (String method : List.of("naive", "seasonal naive", "ETS", "linear AR", "model alone", "seqcast")) {
            assertTrue(r.out().contains(method), method + " missing from:\n" + r.out());
        }
        JsonNode series =
                new ObjectMapper().readTree(json.toFile()).get("series").get(0);
        assertEquals(600, series.get("rows").asInt(), "downsampled by the mean of each 2 rows");
        assertEquals(420, series.get("history").asInt());
        assertEquals(6, series.get("methods").size());

        // the naive MASE at h = 1, re-derived from the data here
        double[] y = new double[600];
        for (int i = 0; i < 600; i++) {
            y[i] = (raw.get(2 * i) + raw.get(2 * i + 1)) / 2;
        }
        double scale = 0;
        for (int t = 1; t < 420; t++) {
            scale += Math.abs(y[t] - y[t - 1]);
        }
        scale /= 419;
        double mae = 0;
        for (int j = 420; j < 600; j++) {
            mae += Math.abs(y[j] - y[j - 1]);
        }
        mae /= 180;
        JsonNode naive = series.get("methods").get(0);
        assertEquals("naive", naive.get("method").asText());
        assertEquals(mae / scale, naive.get("steps").get(0).get("mase").asDouble(), 1e-9);
        JsonNode seqcast = series.get("methods").get(5).get("steps").get(2);
        assertEquals(178, seqcast.get("n").asInt(), "targets 422..599 at h = 3");
        assertTrue(seqcast.get("coverage").asDouble() > 0.5, seqcast.toString());
        assertEquals(601, Files.readAllLines(dir.resolve("rows/s.csv")).size());
        assertEquals(601, Files.readAllLines(dir.resolve("rows/s.data.csv")).size());
        byte[] png = Files.readAllBytes(dir.resolve("plots/s.png"));
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG of the series");
    }
}
