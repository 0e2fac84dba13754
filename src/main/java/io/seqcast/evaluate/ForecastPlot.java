package io.seqcast.evaluate;

import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A PNG of one series drawn with JFreeChart, against event time (UTC): the observations, the one-step-ahead forecast
 * made for each of them with its prediction interval as a band, the observations at which an alert opened, and the
 * anomaly score (0..1) in a lower panel; a legend names each, and a vertical line marks where the scored test part
 * starts when there is one.
 */
public final class ForecastPlot {

    private static final int WIDTH = 1600;
    private static final int HEIGHT = 800;
    private static final Color BAND = new Color(20, 80, 220, 60);
    private static final Color FORECAST = new Color(20, 80, 220);

    private ForecastPlot() {}

    /**
     * Writes {@code png}.
     *
     * @param times event time per row, epoch milliseconds
     * @param values observed target per row
     * @param forecasts forecast event per row (null where refused)
     * @param alertRows rows where an alert opened
     * @param from first row drawn
     * @param to row after the last one drawn
     * @param testStart first row of the scored test part, marked when drawn; -1 for none
     */
    public static void write(
            Path png,
            String title,
            long[] times,
            double[] values,
            List<Forecast> forecasts,
            boolean[] alertRows,
            int from,
            int to,
            int testStart)
            throws IOException {
        XYSeries observed = new XYSeries("observed", false);
        YIntervalSeries expected =
                new YIntervalSeries("1-step forecast and " + coverage(forecasts, from, to) + " interval", false, true);
        XYSeries alerts = new XYSeries("alert opened", false);
        XYSeries score = new XYSeries("anomaly score", false);
        for (int i = from; i < to; i++) {
            observed.add(times[i], values[i]);
            Forecast f = forecasts.get(i);
            ForecastStep e = f == null ? null : f.expected();
            if (e != null) {
                expected.add(times[i], e.value(), e.lower(), e.upper());
            }
            score.add(times[i], f == null ? 0 : f.anomalyScore());
            if (alertRows[i]) {
                alerts.add(times[i], values[i]);
            }
        }
        NumberAxis valueAxis = new NumberAxis("value");
        valueAxis.setAutoRangeIncludesZero(false);
        XYPlot main = new XYPlot();
        main.setRangeAxis(valueAxis);
        DeviationRenderer band = new DeviationRenderer(true, false);
        band.setSeriesPaint(0, FORECAST);
        band.setSeriesFillPaint(0, BAND);
        band.setSeriesStroke(0, new BasicStroke(1.2f));
        band.setAlpha(1f);
        YIntervalSeriesCollection bandData = new YIntervalSeriesCollection();
        bandData.addSeries(expected);
        main.setDataset(0, bandData);
        main.setRenderer(0, band);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, Color.BLACK);
        line.setSeriesStroke(0, new BasicStroke(1.0f));
        main.setDataset(1, new XYSeriesCollection(observed));
        main.setRenderer(1, line);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setSeriesPaint(0, Color.RED);
        dots.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        main.setDataset(2, new XYSeriesCollection(alerts));
        main.setRenderer(2, dots);
        main.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        main.setBackgroundPaint(Color.WHITE);
        main.setDomainGridlinePaint(Color.LIGHT_GRAY);
        main.setRangeGridlinePaint(Color.LIGHT_GRAY);

        NumberAxis scoreAxis = new NumberAxis("anomaly score");
        scoreAxis.setRange(0, 1);
        XYLineAndShapeRenderer scoreLine = new XYLineAndShapeRenderer(true, false);
        scoreLine.setSeriesPaint(0, Color.GRAY);
        XYPlot lower = new XYPlot(new XYSeriesCollection(score), null, scoreAxis, scoreLine);
        lower.setBackgroundPaint(new Color(248, 248, 248));

        DateAxis time = new DateAxis("time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(8);
        plot.add(main, 3);
        plot.add(lower, 1);
        if (testStart >= from && testStart < to) {
            for (XYPlot p : List.of(main, lower)) {
                ValueMarker marker = new ValueMarker(
                        times[testStart],
                        Color.DARK_GRAY,
                        new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
                if (p == main) {
                    marker.setLabel("test part starts");
                    marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                    marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                }
                p.addDomainMarker(marker);
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static String coverage(List<Forecast> forecasts, int from, int to) {
        for (int i = from; i < to; i++) {
            if (forecasts.get(i) != null) {
                return Math.round(100 * forecasts.get(i).coverage()) + "%";
            }
        }
        return "prediction";
    }
}
