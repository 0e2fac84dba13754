import io.seqcast.bench.ModelStepBench;
import io.seqcast.bench.ModelStepBench.Candidate;
import io.seqcast.kernel.FusedKernel;
import io.seqcast.kernel.FusedWeights;
import io.seqcast.kernel.Kernels;
import io.seqcast.kernel.VectorKernel;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelInfo;
import io.seqcast.model.NetworkWeights;
import io.seqcast.model.SequenceModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The step of an ensemble artifact (block-diagonal LSTM layers, ForecasterEnsemble) in one JVM: the dense step over
 * the whole matrices (FusedWeights.dense, how it was served before 4 December), the step block by block
 * (FusedWeights.of, how it is served now) and its members as separate networks stepped one after the other (the cost
 * to aim at), with both kernels; per event, one series a call cycling through 1,000 series' states, thread CPU time,
 * candidates round-robin (ModelStepBench.run). Any further artifacts are measured dense and by blocks too. Run:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "target/seqcast.jar:target/lib/*" scripts/micro/EnsembleStepCost.java \
 *     15 models/lstm-ecg.seqcast [more.seqcast ...]
 * </pre>
 */
public class EnsembleStepCost {
    static final int SERIES = 1000;

    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]);
        List<Candidate> c = new ArrayList<>();
        List<Function<FusedWeights, SequenceModel>> kernels = new ArrayList<>();
        List<String> kernelNames = new ArrayList<>();
        if (Kernels.vectorApiAvailable()) {
            kernels.add(VectorKernel::new);
            kernelNames.add("vector (" + VectorKernel.lanes() + " lanes)");
        }
        kernels.add(FusedKernel::new);
        kernelNames.add("scalar");
        for (int i = 1; i < a.length; i++) {
            ModelArtifact artifact = ModelArtifact.read(Path.of(a[i]));
            NetworkWeights w = NetworkWeights.fromNetwork(artifact.network(), "m", "1");
            String name = a[i].replaceAll(".*/", "") + " " + w.info().hiddenSizes();
            FusedWeights blocks = FusedWeights.of(w);
            List<NetworkWeights> members = i == 1 ? members(w, blocks) : List.of();
            for (int k = 0; k < kernels.size(); k++) {
                var make = kernels.get(k);
                String kernel = kernelNames.get(k);
                c.add(perEvent(name + " dense, " + kernel, List.of(make.apply(FusedWeights.dense(w)))));
                c.add(perEvent(
                        name + " " + blocks.layers().get(0).blocks().size() + " blocks, " + kernel,
                        List.of(make.apply(blocks))));
                if (!members.isEmpty()) {
                    c.add(perEvent(
                            name + " its " + members.size() + " members one after the other, " + kernel,
                            members.stream().map(m -> make.apply(FusedWeights.dense(m))).toList()));
                }
            }
        }
        PrintWriter log = new PrintWriter(System.err, true);
        for (ModelStepBench.Result r : ModelStepBench.run(c, rounds, 300, log)) {
            System.out.printf(
                    "%-70s %8.3f us/step  (key-steps/s median %.0f, range %.0f-%.0f)%n",
                    r.name(),
                    r.microsPerKeyStep(),
                    r.keyStepsPerSecond().median(),
                    r.keyStepsPerSecond().min(),
                    r.keyStepsPerSecond().max());
        }
    }

    /** One series a call through every model of {@code models} (each with its own state), cycling the series. */
    static Candidate perEvent(String name, List<SequenceModel> models) {
        int in = models.get(0).info().inputSize();
        float[] inputs = new float[SERIES * in];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) r.nextGaussian();
        }
        float[][] states = new float[models.size()][];
        float[][] one = new float[models.size()][];
        for (int m = 0; m < models.size(); m++) {
            states[m] = new float[SERIES * models.get(m).stateSize()];
            one[m] = new float[models.get(m).stateSize()];
        }
        float[] x = new float[in];
        float[] out = new float[models.get(0).info().outputSize()];
        int[] next = {0};
        return new Candidate(name, 1, () -> {
            int s = next[0];
            next[0] = s + 1 == SERIES ? 0 : s + 1;
            System.arraycopy(inputs, s * in, x, 0, in);
            for (int m = 0; m < states.length; m++) {
                int size = one[m].length;
                System.arraycopy(states[m], s * size, one[m], 0, size);
                models.get(m).step(1, x, one[m], out);
                System.arraycopy(one[m], 0, states[m], s * size, size);
            }
            return 1;
        });
    }

    /** The networks the blocks of {@code w} are: block k of every layer, and the output layer's rows of the top one. */
    static List<NetworkWeights> members(NetworkWeights w, FusedWeights blocks) {
        int count = blocks.layers().get(0).blocks().size();
        List<NetworkWeights> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            List<NetworkWeights.Layer> layers = new ArrayList<>();
            List<Integer> hidden = new ArrayList<>();
            FusedWeights.Block top = null;
            for (int l = 0; l < w.layers().size(); l++) {
                NetworkWeights.Layer full = w.layers().get(l);
                FusedWeights.Block b = blocks.layers().get(l).blocks().get(k);
                int gates = full.cell().gates();
                int cols = gates * b.n();
                float[] wi = new float[b.nIn() * cols];
                float[] rw = new float[b.n() * cols];
                float[] bias = new float[cols];
                for (int g = 0; g < gates; g++) {
                    int src = g * full.n() + b.from();
                    System.arraycopy(full.b(), src, bias, g * b.n(), b.n());
                    for (int r = 0; r < b.nIn(); r++) {
                        System.arraycopy(full.w(), (b.inFrom() + r) * full.columns() + src, wi, r * cols + g * b.n(), b.n());
                    }
                    for (int r = 0; r < b.n(); r++) {
                        System.arraycopy(full.rw(), (b.from() + r) * full.columns() + src, rw, r * cols + g * b.n(), b.n());
                    }
                }
                layers.add(new NetworkWeights.Layer(b.nIn(), b.n(), full.cell(), wi, rw, bias));
                hidden.add(b.n());
                top = b;
            }
            int outSize = w.outB().length;
            float[] outW = Arrays.copyOfRange(w.outW(), top.from() * outSize, (top.from() + top.n()) * outSize);
            ModelInfo info = new ModelInfo("member" + k, "1", w.info().cell(), hidden, w.info().inputSize(), outSize);
            out.add(new NetworkWeights(info, layers, outW, w.outB(), false));
        }
        return out;
    }
}
