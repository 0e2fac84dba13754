package io.seqcast.evaluate;

import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG of one series: the observations (black), the one-step-ahead forecast made for each of them (blue) with its
 * prediction interval (light blue band), the anomaly score (grey, lower panel, 0..1) and the observations that opened
 * an alert (red dots, and red ticks in the score panel). Drawn with java.awt only.
 */
public final class ForecastPlot {

    private static final int WIDTH = 1600;
    private static final int HEIGHT = 700;
    private static final int MARGIN = 60;
    private static final int SCORE_PANEL = 140;

    private ForecastPlot() {}

    /**
     * @param values observed target per row
     * @param forecasts forecast event per row (null where refused)
     * @param alertRows rows where an alert opened
     * @param from first row drawn
     * @param to row after the last one drawn
     */
    public static void write(Path png, String title, double[] values, List<Forecast> forecasts, boolean[] alertRows,
            int from, int to) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int top = MARGIN;
        int bottom = HEIGHT - MARGIN - SCORE_PANEL - 20;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            lo = Math.min(lo, values[i]);
            hi = Math.max(hi, values[i]);
        }
        double pad = (hi - lo) * 0.15 + 1e-9;
        lo -= pad;
        hi += pad;
        final double ylo = lo;
        final double yhi = hi;
        java.util.function.IntToDoubleFunction x = i -> MARGIN + (double) (i - from) / Math.max(1, to - from - 1)
                * (WIDTH - 2 * MARGIN);
        java.util.function.DoubleUnaryOperator y = v -> bottom - (Math.max(ylo, Math.min(yhi, v)) - ylo) / (yhi - ylo)
                * (bottom - top);

        // interval band, as vertical strokes per row
        g.setColor(new Color(170, 200, 255));
        g.setStroke(new BasicStroke(Math.max(1f, (float) ((WIDTH - 2.0 * MARGIN) / Math.max(1, to - from)))));
        for (int i = from; i < to; i++) {
            ForecastStep e = expected(forecasts, i);
            if (e != null) {
                g.draw(new java.awt.geom.Line2D.Double(x.applyAsDouble(i), y.applyAsDouble(e.lower()),
                        x.applyAsDouble(i), y.applyAsDouble(e.upper())));
            }
        }
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(new Color(20, 80, 220));
        g.draw(line(from, to, i -> {
            ForecastStep e = expected(forecasts, i);
            return e == null ? Double.NaN : e.value();
        }, x, y));
        g.setColor(Color.BLACK);
        g.draw(line(from, to, i -> values[i], x, y));
        // score panel
        int sTop = HEIGHT - MARGIN - SCORE_PANEL;
        int sBottom = HEIGHT - MARGIN;
        g.setColor(new Color(245, 245, 245));
        g.fillRect(MARGIN, sTop, WIDTH - 2 * MARGIN, SCORE_PANEL);
        g.setColor(Color.GRAY);
        g.draw(line(from, to, i -> forecasts.get(i) == null ? 0 : forecasts.get(i).anomalyScore(), x,
                v -> sBottom - v * (sBottom - sTop)));
        g.setColor(Color.RED);
        for (int i = from; i < to; i++) {
            if (alertRows[i]) {
                double px = x.applyAsDouble(i);
                g.fill(new java.awt.geom.Ellipse2D.Double(px - 4, y.applyAsDouble(values[i]) - 4, 8, 8));
                g.draw(new java.awt.geom.Line2D.Double(px, sTop, px, sBottom));
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString(title, MARGIN, MARGIN - 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format(Locale.ROOT, "%.4g", yhi), 5, top + 10);
        g.drawString(String.format(Locale.ROOT, "%.4g", ylo), 5, bottom);
        g.drawString("observed (black), 1-step forecast (blue) and interval (band), alerts (red); anomaly score below",
                MARGIN, HEIGHT - 20);
        g.drawString("rows " + from + ".." + (to - 1), WIDTH - MARGIN - 120, HEIGHT - 20);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static ForecastStep expected(List<Forecast> forecasts, int i) {
        Forecast f = forecasts.get(i);
        return f == null ? null : f.expected();
    }

    private static Path2D line(int from, int to, java.util.function.IntToDoubleFunction v,
            java.util.function.IntToDoubleFunction x, java.util.function.DoubleUnaryOperator y) {
        Path2D.Double p = new Path2D.Double();
        boolean pen = false;
        for (int i = from; i < to; i++) {
            double value = v.applyAsDouble(i);
            if (Double.isNaN(value)) {
                pen = false;
                continue;
            }
            if (pen) {
                p.lineTo(x.applyAsDouble(i), y.applyAsDouble(value));
            } else {
                p.moveTo(x.applyAsDouble(i), y.applyAsDouble(value));
                pen = true;
            }
        }
        return p;
    }
}
