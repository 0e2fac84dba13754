package io.seqcast.event;

/**
 * The forecast for one step ahead.
 *
 * @param step steps ahead, from 1
 * @param time target event time, epoch milliseconds
 * @param value point forecast
 * @param lower lower bound of the prediction interval
 * @param upper upper bound of the prediction interval
 */
public record ForecastStep(int step, long time, double value, double lower, double upper) {}
