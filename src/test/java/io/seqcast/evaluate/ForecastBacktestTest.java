package io.seqcast.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqcast.event.Forecast;
import io.seqcast.event.ForecastStep;
import io.seqcast.event.ModelRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForecastBacktestTest {

    /** A series of period 4 with a trend; forecasts that are exact. */
    @Test
    void shouldScoreExactForecastsAsZeroErrorAndBaselinesByTheirDefinition() {
        int n = 40;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 4) + 0.5 * i;
        }
        List<Forecast> forecasts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<ForecastStep> steps = new ArrayList<>();
            for (int k = 1; k <= 2; k++) {
                double exact = i + k < n ? v[i + k] : 0;
                steps.add(new ForecastStep(k, i + k, exact, exact - 1, exact + 1));
            }
            forecasts.add(new Forecast("s", "p", i, v[i], null, 0, i < 5, new ModelRef("m", "1"), 0.9, steps));
        }
        ForecastBacktest b = ForecastBacktest.of("s", v, forecasts, 2, 4, 0);
        assertEquals(0, b.model().mae(0), 1e-12);
        assertEquals(1.0, b.coverage()[1], 1e-12);
        // seasonal naive misses by the trend over one season, 4 * 0.5 = 2, which is also the MASE scale
        assertEquals(2.0, b.seasonalNaive().mae(0), 1e-12);
        assertEquals(1.0, b.seasonalNaive().mase(1), 1e-12);
        assertEquals(n - 2 - 5, b.origins(), "origins warming up or without a full horizon after them are skipped");
    }
}
