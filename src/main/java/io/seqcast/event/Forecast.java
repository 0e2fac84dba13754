package io.seqcast.event;

import java.util.List;

/**
 * What the engine publishes for every observation it accepts: the forecast of the next steps, and how the
 * observation itself scored against the forecast made for it earlier.
 *
 * @param series series id
 * @param pipeline pipeline name
 * @param time event time of the observation the forecast was made at, epoch milliseconds
 * @param observed the observed value (first feature) at {@code time}
 * @param expected what the engine had forecast for {@code time}, with its interval; null when it had none yet
 * @param anomalyScore anomaly score of the observation, in [0,1]
 * @param warmingUp true while the series is in its warm-up period (no alerts are raised)
 * @param model the model that made the forecast
 * @param coverage nominal coverage of every interval, in (0,1)
 * @param steps forecasts for 1..H steps ahead
 */
public record Forecast(
        String series,
        String pipeline,
        long time,
        double observed,
        ForecastStep expected,
        double anomalyScore,
        boolean warmingUp,
        ModelRef model,
        double coverage,
        List<ForecastStep> steps) {

    public Forecast {
        steps = List.copyOf(steps);
    }
}
