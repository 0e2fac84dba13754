package io.seqcast.training;

import io.seqcast.classify.AamiClass;
import io.seqcast.classify.BeatMatching;
import io.seqcast.classify.BeatStream;
import io.seqcast.classify.DetectedBeat;
import io.seqcast.classify.EcgRecord;
import io.seqcast.classify.EcgState;
import io.seqcast.model.SequenceShape;
import io.seqcast.model.ShapedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Training data and training of the beat classifier, inter-patient: beats are found by the same {@link BeatStream}
 * the pipeline runs (raw samples in), labelled by the reference annotation within {@link BeatMatching#WINDOW_S} of
 * each (detections without one are left out), and whole records go to training or to evaluation, never both.
 * Class imbalance, and training time: at most {@code maxNormal} N beats and {@code maxPerClass} beats of each other
 * class per record (a seeded random choice; every patient still contributes), and the rarer classes repeated up to {@value #MAX_REPEAT} times towards a
 * quarter of the N count. Optionally, noise-stressed copies of the training records ({@link NoiseStress}) add the
 * beats found in their noisy stretches, at most half the clean caps per copy.
 */
public final class HeartbeatTraining {

    /** The inter-patient split of de Chazal et al. (2004): MIT-BIH records to train on; paced records excluded. */
    public static final Set<String> DS1 = Set.of(
            "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122", "124", "201", "203", "205",
            "207", "208", "209", "215", "220", "223", "230");
    /** ... and to test on. */
    public static final Set<String> DS2 = Set.of(
            "100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210", "212", "213", "214", "219",
            "221", "222", "228", "231", "232", "233", "234");

    static final int MAX_REPEAT = 5;

    private HeartbeatTraining() {}

    /** The detected beats of one record with the class of the reference beat each matched (-1: none). */
    public record RecordBeats(String record, List<DetectedBeat> beats, int[] labels) {}

    /** Whether record {@code name} (e.g. {@code mitdb_101}) belongs to {@code split} (its number in the set). */
    public static boolean in(Set<String> split, String name) {
        return split.contains(name.replaceAll("^.*?(\\d+)$", "$1"));
    }

    /** Runs the beat stream over a whole record and labels its beats. */
    public static RecordBeats beats(EcgRecord r) {
        BeatStream stream = new BeatStream(r.rate());
        EcgState s = EcgState.startingAt(r.rate(), 0);
        List<DetectedBeat> beats = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            stream.push(s, r.lead1()[i], r.lead2()[i], beats::add);
        }
        int[] labels = new int[beats.size()];
        long tolerance = Math.round(BeatMatching.WINDOW_S * r.rate());
        int a = 0;
        List<EcgRecord.Annotation> ref = r.beats();
        for (int k = 0; k < beats.size(); k++) {
            long at = beats.get(k).sample();
            while (a < ref.size() && ref.get(a).sample() < at - tolerance) {
                a++;
            }
            int best = -1;
            for (int j = a; j < ref.size() && ref.get(j).sample() <= at + tolerance; j++) {
                if (best < 0
                        || Math.abs(ref.get(j).sample() - at)
                                < Math.abs(ref.get(best).sample() - at)) {
                    best = j;
                }
            }
            labels[k] = best < 0 ? -1 : ref.get(best).aami().ordinal();
        }
        return new RecordBeats(r.name(), beats, labels);
    }

    /**
     * The beats {@link #beats(EcgRecord)} finds in noise-stressed copy {@code copy} of {@code r} (the detector and the
     * patient's running state over the whole noisy record, labels from the same annotations), keeping only those
     * whose R peak lies in a noisy stretch; named {@code <record>/noise<copy + 1>}.
     */
    public static RecordBeats noisyBeats(EcgRecord r, NoiseStress stress, long seed, int copy) {
        NoiseStress.Stressed stressed = stress.stress(r, seed, copy);
        RecordBeats all = beats(stressed.record());
        List<DetectedBeat> kept = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < all.beats().size(); k++) {
            if (stressed.noisy(all.beats().get(k).sample())) {
                kept.add(all.beats().get(k));
                labels.add(all.labels()[k]);
            }
        }
        return new RecordBeats(
                r.name() + "/noise" + (copy + 1),
                kept,
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The labelled beats of the signal files, read one at a time. */
    public static List<RecordBeats> beats(List<Path> signals) throws IOException {
        List<RecordBeats> out = new ArrayList<>();
        for (Path p : signals) {
            out.add(beats(EcgRecord.read(p)));
        }
        return out;
    }

    /** Balanced training examples from {@code records} (see the class comment). */
    public static LabelledSequences examples(List<RecordBeats> records, int maxPerClass, long seed) {
        return examples(records, maxPerClass, maxPerClass, seed);
    }

    /** As {@link #examples(List, int, long)} with its own cap for N beats per record. */
    public static LabelledSequences examples(List<RecordBeats> records, int maxNormal, int maxPerClass, long seed) {
        return examples(records, List.of(), maxNormal, maxPerClass, seed);
    }

    /**
     * As {@link #examples(List, int, int, long)}, with the beats of {@code noisy} (noise-stressed copies of training
     * records, {@link #noisyBeats}) added under half the caps per copy; without copies, the same examples.
     */
    public static LabelledSequences examples(
            List<RecordBeats> records, List<RecordBeats> noisy, int maxNormal, int maxPerClass, long seed) {
        Random random = new Random(seed);
        List<float[][]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        int[] counts = new int[5];
        List<RecordBeats> all = new ArrayList<>(records);
        all.addAll(noisy);
        for (int i = 0; i < all.size(); i++) {
            RecordBeats r = all.get(i);
            int share = i < records.size() ? 1 : 2;
            for (int c = 0; c < 5; c++) {
                List<Integer> of = new ArrayList<>();
                for (int k = 0; k < r.beats().size(); k++) {
                    if (r.labels()[k] == c) {
                        of.add(k);
                    }
                }
                Collections.shuffle(of, random);
                int cap = (c == 0 ? maxNormal : maxPerClass) / share;
                for (int k : of.subList(0, Math.min(cap, of.size()))) {
                    x.add(r.beats().get(k).input());
                    y.add(c);
                    counts[c]++;
                }
            }
        }
        int n = x.size();
        for (int i = 0; i < n; i++) {
            int c = y.get(i);
            if (c == 0) {
                continue;
            }
            int repeat = (int) Math.min(MAX_REPEAT, Math.max(1, Math.round(counts[0] / 4.0 / counts[c])));
            for (int k = 1; k < repeat; k++) {
                x.add(x.get(i));
                y.add(c);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        List<float[][]> xs = new ArrayList<>(order.size());
        int[] ys = new int[order.size()];
        for (int i = 0; i < order.size(); i++) {
            xs.add(x.get(order.get(i)));
            ys[i] = y.get(order.get(i));
        }
        return LabelledSequences.classes(xs, ys, AamiClass.NAMES);
    }

    /**
     * Trains a many-to-one classifier on {@code train}; {@code validation} (other patients, or a share of the same
     * ones) chooses the epoch.
     */
    public static TrainingResult train(
            LabelledSequences train, LabelledSequences validation, TrainingOptions options, TrainingProgress progress) {
        return new SequenceTrainer(options, SequenceShape.MANY_TO_ONE).train(train, validation, progress);
    }

    /** The class index the model gives every beat of {@code r}. */
    public static int[] predict(ShapedModel model, RecordBeats r) {
        return classes(probabilities(model, r));
    }

    /** The most probable class of each row of {@code p}. */
    public static int[] classes(float[][] p) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * The served model's class probabilities for every beat of {@code r}: its network's over the whole beat, then its
     * {@link io.seqcast.model.LinearHead} (if it has one) on the last step's input, as the pipeline's step model does.
     */
    public static float[][] probabilities(io.seqcast.model.ModelArtifact artifact, RecordBeats r) {
        float[][] p = probabilities(artifact.toShapedModel(), r);
        io.seqcast.model.LinearHead head = artifact.metadata().head();
        if (head != null) {
            io.seqcast.model.LinearHead.Resolved resolved =
                    head.resolve(artifact.metadata().inputFeatures());
            for (int k = 0; k < p.length; k++) {
                float[][] input = r.beats().get(k).input();
                resolved.apply(p[k], 0, input[input.length - 1], 0);
            }
        }
        return p;
    }

    /** The network's class probabilities (softmax) for every beat of {@code r}: {@code [beats][classes]}. */
    public static float[][] probabilities(ShapedModel model, RecordBeats r) {
        List<float[][]> inputs = new ArrayList<>();
        for (DetectedBeat b : r.beats()) {
            inputs.add(b.input());
        }
        float[][] out = new float[inputs.size()][];
        int batch = 512;
        for (int from = 0; from < inputs.size(); from += batch) {
            List<float[][]> p = model.predict(inputs.subList(from, Math.min(inputs.size(), from + batch)));
            for (int i = 0; i < p.size(); i++) {
                out[from + i] = p.get(i)[p.get(i).length - 1];
            }
        }
        return out;
    }

    /**
     * Adds {@code offsets} (one per class) to the bias of the network's softmax layer: the class scores move by these
     * log-odds, e.g. to undo the class balance of training (a prior correction). Modifies {@code network}.
     */
    public static void shiftClassScores(org.deeplearning4j.nn.multilayer.MultiLayerNetwork network, double[] offsets) {
        org.nd4j.linalg.api.ndarray.INDArray b =
                network.getLayer(network.getnLayers() - 1).getParam("b");
        if (b.length() != offsets.length) {
            throw new IllegalArgumentException(
                    "class offsets: " + offsets.length + " given, the model has " + b.length() + " classes");
        }
        for (int c = 0; c < offsets.length; c++) {
            b.putScalar(c, b.getDouble(c) + offsets[c]);
        }
    }

    /** Confusion of the model's classes with the reference over the matched beats of {@code r}. */
    public static long[][] confusion(int[] predicted, RecordBeats r) {
        long[][] c = new long[5][5];
        for (int k = 0; k < predicted.length; k++) {
            if (r.labels()[k] >= 0) {
                c[r.labels()[k]][predicted[k]]++;
            }
        }
        return c;
    }
}
