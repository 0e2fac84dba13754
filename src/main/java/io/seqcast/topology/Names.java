package io.seqcast.topology;

/**
 * Names of a pipeline's topology nodes and store. Explicit and stable: Kafka Streams keys state, changelog topics
 * and offsets by them, so renaming one loses state. The description in {@code topology/<pipeline>.topology.txt}
 * pins them.
 */
public record Names(String pipeline) {

    public String source() {
        return pipeline + "-observations-source";
    }

    public String parse() {
        return pipeline + "-parse";
    }

    public String step() {
        return pipeline + "-series-step";
    }

    public String store() {
        return pipeline + "-series-state";
    }

    public String forecastSink() {
        return pipeline + "-forecasts-sink";
    }

    public String alertSink() {
        return pipeline + "-alerts-sink";
    }

    /** Classify mode: the processor that classifies each observation. */
    public String classify() {
        return pipeline + "-classify";
    }

    public String classificationSink() {
        return pipeline + "-classifications-sink";
    }

    public String deadLetterSink() {
        return pipeline + "-dead-letter-sink";
    }

    /** ECG mode: the processor that finds beats in raw samples and classifies them. */
    public String beats() {
        return pipeline + "-beats";
    }

    /** ECG mode: the per-series detector and patient state. */
    public String ecgStore() {
        return pipeline + "-ecg-state";
    }
}
