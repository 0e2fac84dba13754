package io.seqcast.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code seqcast evaluate forecast} prints and saves {@link ForecastEvaluation}s. */
public final class ForecastReport {

    private ForecastReport() {}

    /** The per-step table of one series. */
    public static void series(PrintWriter w, ForecastEvaluation e, double seconds) {
        HoldoutProtocol p = e.protocol();
        w.printf(
                Locale.ROOT,
                "%n%s: %d rows, history %d (first 70%%), test %d; season %d; horizon %d; MASE scale"
                        + " %.5g (mean |y(t) - y(t-1)| over the history); %.1f s%n",
                e.series(),
                p.rows(),
                p.trainSize(),
                p.rows() - p.trainSize(),
                e.season(),
                p.horizon(),
                p.scale(),
                seconds);
        w.printf(Locale.ROOT, "  %s%n  %s%n", e.ets(), e.autoregression());
        if (e.engineHorizon() < p.horizon()) {
            w.printf(
                    Locale.ROOT,
                    "  the engine's model forecasts %d steps: steps %d..%d have no engine figures%n",
                    e.engineHorizon(),
                    e.engineHorizon() + 1,
                    p.horizon());
        }
        w.printf(
                Locale.ROOT,
                "%-4s %-15s %7s %11s %11s %7s %9s%n",
                "step",
                "method",
                "n",
                "MAE",
                "RMSE",
                "MASE",
                "coverage");
        for (int h = 1; h <= p.horizon(); h++) {
            for (HoldoutProtocol.MethodScore m : e.methods()) {
                HoldoutProtocol.StepScore s = m.at(h);
                if (s.n() == 0) {
                    continue;
                }
                w.printf(
                        Locale.ROOT,
                        "%-4d %-15s %7d %11.5g %11.5g %7.3f %9s%n",
                        h,
                        m.method(),
                        s.n(),
                        s.mae(),
                        s.rmse(),
                        s.mase(),
                        Double.isNaN(s.coverage()) ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * s.coverage()));
            }
        }
    }

    /** MASE at the first and last step of every series, every method side by side. */
    public static void summary(PrintWriter w, List<ForecastEvaluation> results) {
        w.printf(Locale.ROOT, "%nMASE at h=1 and h=H (lower is better; coverage: seqcast's interval)%n");
        w.printf(
                Locale.ROOT,
                "%-36s %3s %7s %7s %7s %7s %7s %7s %9s  %s%n",
                "series",
                "h",
                "naive",
                "s.naive",
                "ETS",
                "AR",
                "model",
                "seqcast",
                "coverage",
                "best classical");
        for (ForecastEvaluation e : results) {
            int last = e.protocol().horizon();
            // h=1, the engine's last step when its model forecasts fewer than H, and h=H
            for (int h : java.util.stream.IntStream.of(1, Math.min(last, e.engineHorizon()), last)
                    .distinct()
                    .toArray()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-36s %3d", e.series(), h));
                for (HoldoutProtocol.MethodScore m : e.methods()) {
                    line.append(String.format(Locale.ROOT, " %7s", mase(m.at(h))));
                }
                HoldoutProtocol.StepScore published =
                        e.method(ForecastEvaluation.PUBLISHED).at(h);
                HoldoutProtocol.MethodScore best = e.bestClassical(h);
                line.append(String.format(
                        Locale.ROOT,
                        " %9s  %s %.3f",
                        Double.isNaN(published.coverage())
                                ? "-"
                                : String.format(Locale.ROOT, "%.1f%%", 100 * published.coverage()),
                        best.method(),
                        best.at(h).mase()));
                w.println(line);
            }
        }
    }

    private static String mase(HoldoutProtocol.StepScore s) {
        return s.n() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", s.mase());
    }

    /** Every figure of {@code results} as JSON (NaN where a figure does not exist, as a string). */
    public static void writeJson(Path file, List<ForecastEvaluation> results) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ForecastEvaluation e : results) {
            Map<String, Object> series = new LinkedHashMap<>();
            HoldoutProtocol p = e.protocol();
            series.put("series", e.series());
            series.put("rows", p.rows());
            series.put("history", p.trainSize());
            series.put("season", e.season());
            series.put("horizon", p.horizon());
            series.put("engineHorizon", e.engineHorizon());
            series.put("scale", p.scale());
            series.put("ets", e.ets());
            series.put("autoregression", e.autoregression());
            series.put("methods", e.methods());
            out.add(series);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(
                        file.toFile(),
                        Map.of(
                                "protocol",
                                "first 70% history; target j at step h forecast at j - h; MASE scale mean"
                                        + " |y(t) - y(t-1)| over the history",
                                "series",
                                out));
    }
}
