package io.seqcast.trainer;

import io.seqcast.event.TimeText;
import io.seqcast.forecast.Normalizer;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceModel;
import io.seqcast.trainer.RecentWindows.SeriesWindow;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the continual trainer for a pipeline, without Kafka: splits every series' recent window into a training
 * part and a held-back stretch (its last {@code holdout} observations), trains a challenger on the training parts
 * only, scores champion and challenger alike on every held-back stretch ({@link HeldOutScore}), and lets the
 * {@link Judge} decide. Series shorter than {@code minTrain + holdout} are neither trained on nor judged.
 */
public final class ChampionChallenger {

    /**
     * What a run needs besides the data.
     *
     * @param horizon steps ahead judged: the pipeline's {@code forecast.horizon}
     * @param holdout observations held back at the end of every series, for judging only
     * @param minTrain observations a series needs before its held-back stretch to take part
     * @param judge the champion/challenger rule
     */
    public record Settings(int horizon, int holdout, int minTrain, Judge judge) {

        public Settings {
            if (horizon < 1 || holdout < horizon || minTrain < 2) {
                throw new IllegalArgumentException("need horizon >= 1, holdout >= horizon and minTrain >= 2; got "
                        + horizon + ", " + holdout + ", " + minTrain);
            }
        }
    }

    /** Makes a challenger from the champion and the training parts of the series. */
    @FunctionalInterface
    public interface Challengers {

        /**
         * @param series the training part of every series taking part, normalised as the engine normalises it
         * @param version the version the challenger must carry
         * @param fingerprint identifies the training data, for the artifact's metadata
         */
        ModelArtifact train(ModelArtifact champion, List<float[]> series, String version, String fingerprint)
                throws Exception;
    }

    /**
     * What a run decided.
     *
     * @param challenger the challenger, its metadata carrying the evidence; null unless the outcome is published
     */
    public record Outcome(TrainerDecision decision, ModelArtifact challenger) {}

    private final Settings settings;
    private final Challengers challengers;

    public ChampionChallenger(Settings settings, Challengers challengers) {
        this.settings = settings;
        this.challengers = challengers;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Runs once.
     *
     * @param champion the artifact the pipeline serves now
     * @param version the version the challenger gets
     */
    public Outcome run(
            String pipeline, String trigger, List<SeriesWindow> windows, ModelArtifact champion, String version) {
        String decidedAt = Instant.now().toString();
        String championId =
                champion.metadata().name() + " " + champion.metadata().version();
        List<SeriesWindow> taking = new ArrayList<>();
        for (SeriesWindow w : windows) {
            if (w.size() >= settings.minTrain() + settings.holdout()) {
                taking.add(w);
            }
        }
        taking.sort(java.util.Comparator.comparing(SeriesWindow::series));
        long trainObs = 0;
        long heldObs = 0;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        List<float[]> trainParts = new ArrayList<>();
        MessageDigest digest = sha256();
        for (SeriesWindow w : taking) {
            int heldFrom = w.size() - settings.holdout();
            trainObs += heldFrom;
            heldObs += settings.holdout();
            from = Math.min(from, w.times()[0]);
            to = Math.max(to, w.times()[w.size() - 1]);
            double[] train = java.util.Arrays.copyOf(w.values(), heldFrom);
            trainParts.add(Normalizer.normalizeSeries(train));
            digest.update(w.series().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (double v : train) {
                long bits = Double.doubleToLongBits(v);
                for (int s = 56; s >= 0; s -= 8) {
                    digest.update((byte) (bits >>> s));
                }
            }
        }
        String fromText = taking.isEmpty() ? null : TimeText.format(from);
        String toText = taking.isEmpty() ? null : TimeText.format(to);
        if (taking.isEmpty()) {
            return new Outcome(
                    new TrainerDecision(
                            pipeline,
                            decidedAt,
                            trigger,
                            TrainerDecision.REFUSED,
                            "no series has " + (settings.minTrain() + settings.holdout())
                                    + " observations yet (min-train " + settings.minTrain() + " + holdout "
                                    + settings.holdout() + ")",
                            settings.judge().describe(),
                            championId,
                            version,
                            Double.NaN,
                            Double.NaN,
                            0,
                            0,
                            0,
                            null,
                            null,
                            List.of()),
                    null);
        }
        String fingerprint = "sha256:" + HexFormat.of().formatHex(digest.digest()) + " over " + taking.size()
                + " series, " + trainObs + " observations " + fromText + ".." + toText + " (held back: last "
                + settings.holdout() + " of each)";
        ModelArtifact challenger;
        try {
            challenger = challengers.train(champion, trainParts, version, fingerprint);
        } catch (Exception e) {
            return new Outcome(
                    new TrainerDecision(
                            pipeline,
                            decidedAt,
                            trigger,
                            TrainerDecision.FAILED,
                            "training failed: " + e.getMessage(),
                            settings.judge().describe(),
                            championId,
                            version,
                            Double.NaN,
                            Double.NaN,
                            0,
                            trainObs,
                            heldObs,
                            fromText,
                            toText,
                            List.of()),
                    null);
        }
        SequenceModel championModel = champion.toSequenceModel();
        SequenceModel challengerModel = challenger.toSequenceModel();
        List<Judge.Pair> pairs = new ArrayList<>();
        List<TrainerDecision.SeriesJudgement> judgements = new ArrayList<>();
        for (SeriesWindow w : taking) {
            int heldFrom = w.size() - settings.holdout();
            Judge.Pair pair = new Judge.Pair(
                    w.series(),
                    HeldOutScore.of(championModel, w.values(), heldFrom, settings.horizon()),
                    HeldOutScore.of(challengerModel, w.values(), heldFrom, settings.horizon()));
            pairs.add(pair);
            judgements.add(new TrainerDecision.SeriesJudgement(
                    w.series(),
                    TimeText.format(w.times()[0]),
                    TimeText.format(w.times()[w.size() - 1]),
                    TimeText.format(w.times()[heldFrom]),
                    heldFrom,
                    settings.holdout(),
                    pair.champion().mase(),
                    finiteOrNaN(pair.challenger().mase()),
                    settings.judge().verdict(pair)));
        }
        String refusal = settings.judge().refusal(pairs);
        double championScore = Judge.meanMase(pairs, true);
        double challengerScore = finiteOrNaN(Judge.meanMase(pairs, false));
        String outcome = refusal == null ? TrainerDecision.PUBLISHED : TrainerDecision.REFUSED;
        String reason = refusal == null
                ? String.format(
                        Locale.ROOT,
                        "beats the champion by rule %s",
                        settings.judge().describe())
                : refusal;
        TrainerDecision decision = new TrainerDecision(
                pipeline,
                decidedAt,
                trigger,
                outcome,
                reason,
                settings.judge().describe(),
                championId,
                version,
                championScore,
                challengerScore,
                pairs.size(),
                trainObs,
                heldObs,
                fromText,
                toText,
                judgements);
        return new Outcome(decision, refusal == null ? withEvidence(challenger, decision) : null);
    }

    /** The challenger with the decision's scores in its validation metrics. */
    static ModelArtifact withEvidence(ModelArtifact challenger, TrainerDecision d) {
        ModelMetadata m = challenger.metadata();
        Map<String, Double> metrics = new LinkedHashMap<>(m.validationMetrics());
        metrics.put("trainer_champion_mase", d.championScore());
        metrics.put("trainer_challenger_mase", d.challengerScore());
        metrics.put("trainer_judged_series", (double) d.judged());
        metrics.put("trainer_training_observations", (double) d.trainingObservations());
        metrics.put("trainer_held_back_observations", (double) d.heldBackObservations());
        ModelMetadata evidence = m.toBuilder()
                .trainingDataFingerprint(
                        m.trainingDataFingerprint() + "; replaced " + d.champion() + " (" + d.rule() + ")")
                .validationMetrics(metrics)
                .build();
        return ModelArtifact.of(challenger.network(), evidence);
    }

    private static double finiteOrNaN(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
