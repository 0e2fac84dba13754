package io.seqcast.event;

/**
 * Where an observation's parts are in the producer's JSON object.
 *
 * @param series name of the field holding the series id
 * @param time name of the field holding the event time (ISO-8601 text, a date, or epoch milliseconds)
 * @param value name of the field holding the value: a number, or an array of {@code features} numbers
 * @param tags name of the optional object of string tags
 * @param features values per observation
 */
public record FieldMapping(String series, String time, String value, String tags, int features) {

    public static final FieldMapping DEFAULT = new FieldMapping("series", "time", "value", "tags", 1);
}
