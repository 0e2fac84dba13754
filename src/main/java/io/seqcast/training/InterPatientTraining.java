package io.seqcast.training;

import io.seqcast.classify.AamiClass;
import io.seqcast.classify.BeatFeatures;
import io.seqcast.classify.BeatScores;
import io.seqcast.classify.EcgRecord;
import io.seqcast.model.LinearHead;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.ModelMetadata;
import io.seqcast.model.SequenceShape;
import io.seqcast.model.ShapedModel;
import io.seqcast.training.HeartbeatTraining.RecordBeats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code seqcast train --task heartbeats --records DIR}: the inter-patient beat classifier, trained on the DS1 records
 * found in DIR ({@link HeartbeatTraining}); with {@code --folds K}, first a patient-wise K-fold cross-validation on
 * those records (each fold's patients classified by a model trained on the others), which is how settings are chosen.
 */
public final class InterPatientTraining {

    private InterPatientTraining() {}

    /**
     * {@code seqcast train --task heartbeats --records DIR --export-beats FILE}: every beat the detector finds in the
     * DS1 records of DIR, as CSV: record, R peak's sample, label (AAMI class index, -1 for a detection without a
     * reference beat), then the per-beat channels of {@link BeatFeatures} (those from {@link BeatFeatures#PER_BEAT},
     * which repeat at every step), exactly as the classifier reads them. What a linear head is fitted on.
     */
    public static int exportBeats(Path records, Path file, PrintWriter w) throws Exception {
        List<Path> signals = ds1(records);
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(file))) {
            csv.println("record,sample,label,"
                    + String.join(
                            ",", BeatFeatures.CHANNEL_NAMES.subList(BeatFeatures.PER_BEAT, BeatFeatures.CHANNELS)));
            for (Path p : signals) {
                RecordBeats r = HeartbeatTraining.beats(EcgRecord.read(p));
                for (int k = 0; k < r.beats().size(); k++) {
                    StringBuilder line = new StringBuilder();
                    line.append(r.record())
                            .append(',')
                            .append(r.beats().get(k).sample())
                            .append(',');
                    line.append(r.labels()[k]);
                    float[] step = r.beats().get(k).input()[BeatFeatures.STEPS - 1];
                    for (int c = BeatFeatures.PER_BEAT; c < BeatFeatures.CHANNELS; c++) {
                        line.append(',').append(step[c]);
                    }
                    csv.println(line);
                }
                w.printf(Locale.ROOT, "%-10s %5d beats%n", r.record(), r.beats().size());
                w.flush();
            }
        }
        w.printf(Locale.ROOT, "wrote %s%n", file);
        w.flush();
        return 0;
    }

    private static List<Path> ds1(Path records) throws java.io.IOException {
        List<Path> signals = new ArrayList<>();
        for (Path p : EcgRecord.signalFiles(records)) {
            String file = p.getFileName().toString();
            if (HeartbeatTraining.in(HeartbeatTraining.DS1, file.substring(0, file.indexOf("_signal")))) {
                signals.add(p);
            }
        }
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("no DS1 record in " + records + " (mitdb_101_signal.csv.gz ...); see"
                    + " data/ecg/README.md for the split");
        }
        return signals;
    }

    public static int run(
            Path records,
            int folds,
            int onlyFold,
            int maxNormal,
            int maxPerClass,
            double[] classOffsets,
            Path predictions,
            int noisyCopies,
            NoiseStress stress,
            TrainingOptions options,
            String name,
            String version,
            Path out,
            PrintWriter w,
            TrainingProgress progress)
            throws Exception {
        List<Path> signals = new ArrayList<>();
        MessageDigest fingerprint = MessageDigest.getInstance("SHA-256");
        for (Path p : EcgRecord.signalFiles(records)) {
            String file = p.getFileName().toString();
            if (HeartbeatTraining.in(HeartbeatTraining.DS1, file.substring(0, file.indexOf("_signal")))) {
                signals.add(p);
                fingerprint.update(file.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                fingerprint.update(Files.readAllBytes(p));
            }
        }
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("no DS1 record in " + records + " (mitdb_101_signal.csv.gz ...); see"
                    + " data/ecg/README.md for the split");
        }
        w.printf(Locale.ROOT, "reading %d DS1 records from %s and finding their beats ...%n", signals.size(), records);
        w.flush();
        List<RecordBeats> beats = new ArrayList<>();
        // noise-stressed copies of every record, used only where the record trains (never for a held-out fold)
        Map<String, List<RecordBeats>> noisy = new LinkedHashMap<>();
        for (Path p : signals) {
            EcgRecord record = EcgRecord.read(p);
            beats.add(HeartbeatTraining.beats(record));
            List<RecordBeats> copies = new ArrayList<>();
            for (int k = 0; k < noisyCopies; k++) {
                copies.add(HeartbeatTraining.noisyBeats(record, stress, options.seed(), k));
            }
            noisy.put(record.name(), copies);
        }
        for (RecordBeats r : beats) {
            w.printf(
                    Locale.ROOT,
                    "%-10s %5d beats found: %s%n",
                    r.record(),
                    r.beats().size(),
                    labelCounts(r));
            for (RecordBeats copy : noisy.get(r.record())) {
                w.printf(
                        Locale.ROOT,
                        "%-16s %5d beats found in its noisy stretches: %s%n",
                        copy.record(),
                        copy.beats().size(),
                        labelCounts(copy));
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (folds > 1) {
            long[][] pooled = new long[5][5];
            PrintWriter held = predictions == null ? null : new PrintWriter(Files.newBufferedWriter(predictions));
            if (held != null) {
                held.println("fold,record,sample,label,p_N,p_S,p_V,p_F,p_Q");
            }
            for (int f = 0; f < folds; f++) {
                if (onlyFold > 0 && f != onlyFold - 1) {
                    continue;
                }
                Fold fold = Fold.of(beats, noisy, folds, f);
                List<RecordBeats> train = fold.train();
                List<RecordBeats> test = fold.test();
                List<RecordBeats> trainNoisy = fold.trainNoisy();
                w.printf(
                        Locale.ROOT,
                        "fold %d/%d: testing on %s%n",
                        f + 1,
                        folds,
                        test.stream().map(RecordBeats::record).toList());
                w.flush();
                org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = fit(
                                train, trainNoisy, maxNormal, maxPerClass, options, progress)
                        .network();
                if (classOffsets != null) {
                    HeartbeatTraining.shiftClassScores(net, classOffsets);
                }
                ShapedModel model = new ShapedModel(net, SequenceShape.MANY_TO_ONE);
                long[][] confusions = new long[5][5];
                for (RecordBeats r : test) {
                    float[][] p = HeartbeatTraining.probabilities(model, r);
                    long[][] confusion = HeartbeatTraining.confusion(HeartbeatTraining.classes(p), r);
                    confusions = BeatScores.plus(confusions, confusion);
                    if (held != null) {
                        for (int k = 0; k < p.length; k++) {
                            held.printf(
                                    Locale.ROOT,
                                    "%d,%s,%d,%d,%.5f,%.5f,%.5f,%.5f,%.5f%n",
                                    f + 1,
                                    r.record(),
                                    r.beats().get(k).sample(),
                                    r.labels()[k],
                                    p[k][0],
                                    p[k][1],
                                    p[k][2],
                                    p[k][3],
                                    p[k][4]);
                        }
                        held.flush();
                    }
                    w.printf(Locale.ROOT, "  %s confusion %s%n", r.record(), java.util.Arrays.deepToString(confusion));
                }
                w.print(BeatScores.table(confusions));
                w.printf(Locale.ROOT, "fold %d confusion %s%n", f + 1, java.util.Arrays.deepToString(confusions));
                w.flush();
                pooled = BeatScores.plus(pooled, confusions);
            }
            if (held != null) {
                held.close();
            }
            if (onlyFold > 0) {
                return 0; // one fold only (to run the folds in parallel); no final model
            }
            w.printf(Locale.ROOT, "%d-fold patient-wise cross-validation on DS1, pooled:%n", folds);
            w.print(BeatScores.table(pooled));
            BeatScores.of(pooled).forEach((c, s) -> {
                metrics.put("cv_sensitivity_" + c, s.sensitivity());
                metrics.put("cv_ppv_" + c, s.ppv());
            });
            w.flush();
        }
        w.printf(Locale.ROOT, "training on all %d records ...%n", beats.size());
        w.flush();
        TrainingResult result = fit(beats, copiesOf(beats, noisy), maxNormal, maxPerClass, options, progress);
        if (classOffsets != null) {
            HeartbeatTraining.shiftClassScores(result.network(), classOffsets);
            for (int c = 0; c < classOffsets.length; c++) {
                metrics.put("class_offset_" + AamiClass.NAMES.get(c), classOffsets[c]);
            }
        }
        metrics.put("validation_cross_entropy", result.bestValidationLoss());
        metrics.put("best_epoch", (double) result.bestEpoch());
        ModelInfo info = new ModelInfo(
                name, version, options.cell(), options.hiddenSizes(), BeatFeatures.CHANNELS, AamiClass.NAMES.size());
        Map<String, Object> normalisation = new LinkedHashMap<>();
        normalisation.put(
                "method",
                "per patient: beat and beat minus the running average beat, times its polarity"
                        + " over its amplitude, per lead; RR before/after over the running mean, local and long-run RR;"
                        + " morphology and noise against the patient's own (BeatFeatures)");
        normalisation.put(
                "window",
                BeatFeatures.BEFORE_STEPS + " steps before to " + BeatFeatures.AFTER_STEPS + " after the R peak at "
                        + BeatFeatures.STEP_HZ + " Hz, both leads");
        normalisation.put(
                "training",
                "DS1 records of " + records.getFileName() + ", at most " + maxNormal
                        + " N beats and " + maxPerClass
                        + " of each other class per record, rarer classes repeated towards a"
                        + " quarter of the N count"
                        + (noisyCopies == 0
                                ? ""
                                : "; and " + noisyCopies + " noise-stressed copies of each record (" + stress
                                        + "), the beats of their noisy stretches, half those caps per copy")
                        + (classOffsets == null
                                ? ""
                                : "; class scores shifted by " + java.util.Arrays.toString(classOffsets)
                                        + " (chosen by DS1 cross-validation)"));
        ModelMetadata metadata = ModelMetadata.of(
                        info,
                        BeatFeatures.CHANNEL_NAMES,
                        1,
                        BeatFeatures.STEPS,
                        normalisation,
                        "sha256:" + HexFormat.of().formatHex(fingerprint.digest()),
                        metrics,
                        Instant.now())
                .toBuilder()
                .shape(SequenceShape.MANY_TO_ONE)
                .task(ModelMetadata.CLASSIFY, AamiClass.NAMES)
                .build();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ModelArtifact.of(result.network(), metadata).write(out);
        w.printf(
                Locale.ROOT,
                "best epoch %d: validation cross-entropy %.4f; wrote %s%n",
                result.bestEpoch(),
                result.bestValidationLoss(),
                out);
        w.flush();
        return 0;
    }

    /**
     * {@code seqcast train --task heartbeats --shift MODEL --class-offsets ...}: the trained classifier MODEL with
     * {@code offsets} added to its class scores (its softmax bias), written to {@code out} as a new artifact; the
     * offsets are recorded in its metadata. No training: the offsets are chosen afterwards, from the held-out
     * probabilities of the cross-validation ({@code --predictions}, scripts/heartbeat-offsets.py).
     *
     * <p>With several models ({@code --shift A,B,..}), they become one network averaging their class scores
     * ({@link ClassifierEnsemble}), shifted the same way and written as version {@code version} with the first model's
     * metadata otherwise; the members must have been trained on the same inputs.
     */
    public static int shift(List<Path> models, double[] offsets, String version, Path out, PrintWriter w)
            throws Exception {
        return shift(models, offsets, null, version, out, w);
    }

    /**
     * As {@link #shift(List, double[], String, Path, PrintWriter)}, with {@code head} (null: the model's own, if any)
     * as the written model's {@link LinearHead}: its log-odds are added to the shifted class scores. A single model
     * given a head is a new model, written as {@code version}. A single model's offsets add to those it already had
     * (its metadata records the sum).
     */
    public static int shift(
            List<Path> models, double[] offsets, LinearHead head, String version, Path out, PrintWriter w)
            throws Exception {
        if (offsets == null) {
            throw new IllegalArgumentException("--shift needs --class-offsets N,S,V,F,Q");
        }
        // the metadata (inputs above all) of the member that reads the most inputs; the others read a prefix of them
        List<ModelArtifact> read = new ArrayList<>();
        ModelArtifact artifact = null;
        Path widest = null;
        for (Path p : models) {
            ModelArtifact member = ModelArtifact.read(p);
            read.add(member);
            if (artifact == null
                    || member.metadata().inputFeatures().size()
                            > artifact.metadata().inputFeatures().size()) {
                artifact = member;
                widest = p;
            }
        }
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net;
        Map<String, Object> normalisation =
                new LinkedHashMap<>(artifact.metadata().normalisation());
        List<Integer> hidden = artifact.metadata().hiddenSizes();
        String newVersion = artifact.metadata().version();
        Map<String, Double> metrics = new LinkedHashMap<>(artifact.metadata().validationMetrics());
        LinearHead newHead = head;
        if (models.size() == 1) {
            net = artifact.network().clone();
            if (head == null) {
                newHead = artifact.metadata().head();
            } else {
                newVersion = version;
            }
        } else {
            if (head == null && read.stream().anyMatch(a -> a.metadata().head() != null)) {
                throw new IllegalArgumentException("--shift with several models averages their networks; a member"
                        + " with a linear head would lose it: give the ensemble its head with --head");
            }
            List<org.deeplearning4j.nn.multilayer.MultiLayerNetwork> members = new ArrayList<>();
            List<String> inputs = artifact.metadata().inputFeatures();
            for (int i = 0; i < models.size(); i++) {
                ModelArtifact member = read.get(i);
                List<String> own = member.metadata().inputFeatures();
                if (!own.equals(inputs.subList(0, Math.min(own.size(), inputs.size())))) {
                    throw new IllegalArgumentException(models.get(i) + ": its input channels are not the first of"
                            + " those of " + widest + "; an ensemble's members must read the same inputs (a member"
                            + " may lack channels appended after it was trained)");
                }
                members.add(member.network());
                // each member's own figures, under its number (the first member's are not the ensemble's)
                member.metadata()
                        .validationMetrics()
                        .forEach((k, v) -> metrics.put("member_" + (members.size()) + "_" + k, v));
                metrics.put("member_" + members.size() + "_input_channels", (double) own.size());
            }
            metrics.keySet().removeIf(k -> !k.startsWith("member_"));
            metrics.put("ensemble_members", (double) members.size());
            net = ClassifierEnsemble.averageOf(members);
            hidden = List.of(Math.toIntExact(net.getLayer(0).getParam("RW").size(0)));
            newVersion = version;
            normalisation.put(
                    "ensemble",
                    models.size() + " classifiers of " + artifact.metadata().hiddenSizes()
                            + " LSTM units (trained with different seeds) in one block-diagonal LSTM; class scores"
                            + " averaged; a member trained on fewer input channels (the first ones) reads those");
        }
        HeartbeatTraining.shiftClassScores(net, offsets);
        ModelMetadata m = artifact.metadata();
        double[] total = new double[offsets.length];
        for (int c = 0; c < offsets.length; c++) {
            total[c] = metrics.merge("class_offset_" + AamiClass.NAMES.get(c), offsets[c], Double::sum);
        }
        normalisation.put(
                "class offsets",
                "log-odds " + java.util.Arrays.toString(total) + " added to the class"
                        + " scores N, S, V, F, Q (a prior correction chosen by DS1 patient-wise cross-validation)");
        if (head != null) {
            normalisation.put(
                    "linear head",
                    "log-odds linear in the per-beat channels " + head.inputs() + " added to the class scores"
                            + " (a logistic regression fitted on DS1, its weight chosen by DS1 patient-wise"
                            + " cross-validation; scripts/heartbeat-head.py)");
        }
        ModelMetadata shifted = m.toBuilder()
                .version(newVersion)
                .hiddenSizes(hidden)
                .normalisation(normalisation)
                .validationMetrics(metrics)
                .head(newHead)
                .build();
        ModelArtifact.of(net, shifted).write(out);
        w.printf(
                Locale.ROOT,
                "%s with class offsets %s%s: wrote %s%n",
                models.size() == 1 ? models.get(0) : "ensemble of " + models,
                java.util.Arrays.toString(offsets),
                head == null ? "" : " and a linear head on " + head.inputs().size() + " channels",
                out);
        w.flush();
        return 0;
    }

    /** A record's beats per reference class: "N 1 S 2 V 3 F 4 Q 5, 6 without a reference beat". */
    private static String labelCounts(RecordBeats r) {
        int[] of = new int[6]; // detections without a reference beat (label -1), then N S V F Q
        for (int l : r.labels()) {
            of[l + 1]++;
        }
        return String.format(
                Locale.ROOT,
                "N %d S %d V %d F %d Q %d, %d without a reference beat",
                of[1],
                of[2],
                of[3],
                of[4],
                of[5],
                of[0]);
    }

    /**
     * One fold of the patient-wise cross-validation: the records in order, every {@code folds}-th to the same fold;
     * the noise-stressed copies of the training records only (the held-out records are classified clean).
     */
    record Fold(List<RecordBeats> train, List<RecordBeats> trainNoisy, List<RecordBeats> test) {

        static Fold of(List<RecordBeats> beats, Map<String, List<RecordBeats>> noisy, int folds, int f) {
            List<RecordBeats> train = new ArrayList<>();
            List<RecordBeats> test = new ArrayList<>();
            for (int i = 0; i < beats.size(); i++) {
                (i % folds == f ? test : train).add(beats.get(i));
            }
            return new Fold(train, copiesOf(train, noisy), test);
        }
    }

    /** The noise-stressed copies of the records of {@code train}, and of no other record. */
    static List<RecordBeats> copiesOf(List<RecordBeats> train, Map<String, List<RecordBeats>> noisy) {
        List<RecordBeats> out = new ArrayList<>();
        for (RecordBeats r : train) {
            out.addAll(noisy.getOrDefault(r.record(), List.of()));
        }
        return out;
    }

    private static TrainingResult fit(
            List<RecordBeats> records,
            List<RecordBeats> noisy,
            int maxNormal,
            int maxPerClass,
            TrainingOptions options,
            TrainingProgress progress) {
        LabelledSequences all = HeartbeatTraining.examples(records, noisy, maxNormal, maxPerClass, options.seed());
        int validation = (int) Math.round(all.size() * options.validationFraction());
        return HeartbeatTraining.train(all.slice(validation, all.size()), all.slice(0, validation), options, progress);
    }
}
