package io.seqcast.trainer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What one run of the continual trainer decided for a pipeline, and on what evidence: the registry record written to
 * the models topic under {@code <pipeline>#decision@<challenger>} (see {@link io.seqcast.registry.ModelPublisher}),
 * and summarised in the published artifact's metadata.
 *
 * @param pipeline the pipeline
 * @param decidedAt when, ISO-8601 UTC
 * @param trigger what started the run: {@code schedule}, {@code drift} or {@code once}
 * @param outcome {@code published} (the challenger now serves), {@code refused} (the champion stays) or
 *     {@code failed} (no challenger could be trained; the champion stays)
 * @param reason one sentence: why
 * @param rule the champion/challenger rule applied, with its tolerance ({@link Judge.Rule})
 * @param champion model name and version serving when the run started
 * @param challenger version given to the challenger (published only when the outcome says so)
 * @param championScore mean MASE of the champion over the judged series' held-back stretches
 * @param challengerScore the same for the challenger
 * @param judged series judged; {@code series} lists each with its data window
 * @param trainingObservations observations the challenger was trained on, over all series
 * @param heldBackObservations observations held back for judging, over all series
 * @param from oldest observation time in the data window, ISO-8601 UTC
 * @param to newest observation time in the data window, ISO-8601 UTC
 * @param series per series: its window and both scores
 */
public record TrainerDecision(
        String pipeline,
        String decidedAt,
        String trigger,
        String outcome,
        String reason,
        String rule,
        String champion,
        String challenger,
        double championScore,
        double challengerScore,
        int judged,
        long trainingObservations,
        long heldBackObservations,
        String from,
        String to,
        List<SeriesJudgement> series) {

    public static final String PUBLISHED = "published";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public TrainerDecision {
        series = series == null ? List.of() : List.copyOf(series);
    }

    /**
     * One series' data window and scores.
     *
     * @param from its oldest observation used, ISO-8601 UTC
     * @param to its newest observation, ISO-8601 UTC
     * @param heldFrom time of its first held-back observation, ISO-8601 UTC
     * @param trained observations trained on (those before {@code heldFrom})
     * @param heldBack observations held back (from {@code heldFrom} to {@code to})
     * @param championMase the champion's MASE on the held-back stretch
     * @param challengerMase the challenger's
     * @param verdict {@code better}, {@code within-tolerance} or {@code worse}
     */
    public record SeriesJudgement(
            String series,
            String from,
            String to,
            String heldFrom,
            int trained,
            int heldBack,
            double championMase,
            double challengerMase,
            String verdict) {}

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrainerDecision fromJson(byte[] bytes) {
        try {
            return JSON.readValue(bytes, TrainerDecision.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One short log line. */
    public String summary() {
        return String.format(
                java.util.Locale.ROOT,
                "Pipeline %s: challenger %s %s (%s), MASE %.4f vs champion %s %.4f on %d series, %d observations"
                        + " %s..%s; %s",
                pipeline,
                challenger,
                outcome,
                trigger,
                challengerScore,
                champion,
                championScore,
                judged,
                trainingObservations + heldBackObservations,
                from,
                to,
                reason);
    }
}
