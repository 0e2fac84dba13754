package io.seqcast.bench;

import io.seqcast.kernel.FusedKernel;
import io.seqcast.kernel.FusedWeights;
import io.seqcast.kernel.Kernels;
import io.seqcast.kernel.VectorKernel;
import io.seqcast.model.KernelModel;
import io.seqcast.model.SequenceModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model step alone, on one thread: key-steps per second of each implementation, per event (one series a call,
 * cycling through {@code series} states as the engine does) and batched ({@code batch} series a call). The
 * candidates run round-robin, {@code rounds} times each, so that a slow spell of this shared machine hits them all.
 */
public final class ModelStepBench {

    /** One way of stepping the model. */
    public record Candidate(String name, int batch, Step step) {}

    /** Advances {@code batch} series by one step; returns the series stepped. */
    @FunctionalInterface
    public interface Step {
        int run();
    }

    /** Figures of one candidate: key-steps per second and the derived cost of one key-step. */
    public record Result(String name, int batch, Spread keyStepsPerSecond) {
        public double microsPerKeyStep() {
            return 1e6 / keyStepsPerSecond.median();
        }
    }

    private ModelStepBench() {}

    public static List<Candidate> candidates(MultiLayerNetwork net, int series, int batch, boolean dl4j) {
        List<Candidate> c = new ArrayList<>();
        SequenceModel reference = KernelModel.fromNetwork(net, "bench", "1");
        FusedWeights weights = FusedWeights.fromNetwork(net, "bench", "1");
        SequenceModel fused = new FusedKernel(weights);
        if (Kernels.vectorApiAvailable()) {
            SequenceModel vector = new VectorKernel(weights);
            c.add(perEvent("vector kernel, per event", vector, series));
            c.add(batched("vector kernel, batched", vector, series, batch));
        }
        c.add(perEvent("scalar fused kernel, per event", fused, series));
        c.add(batched("scalar fused kernel, batched", fused, series, batch));
        c.add(perEvent("KernelModel (reference), per event", reference, series));
        c.add(batched("KernelModel (reference), batched", reference, series, batch));
        if (dl4j) {
            c.add(dl4j("DL4J rnnTimeStep, one series", net, 1));
            c.add(dl4j("DL4J rnnTimeStep, batched", net, batch));
        }
        return c;
    }

    /** One series a call, cycling through the states of {@code series} series (state traffic as in the engine). */
    static Candidate perEvent(String name, SequenceModel model, int series) {
        int in = model.info().inputSize();
        float[] states = new float[series * model.stateSize()];
        float[] inputs = randomInputs(series * in);
        float[] one = new float[model.stateSize()];
        float[] x = new float[in];
        float[] out = new float[model.info().outputSize()];
        int[] next = {0};
        int size = model.stateSize();
        return new Candidate(name, 1, () -> {
            int s = next[0];
            next[0] = s + 1 == series ? 0 : s + 1;
            System.arraycopy(inputs, s * in, x, 0, in);
            System.arraycopy(states, s * size, one, 0, size);
            model.step(1, x, one, out);
            System.arraycopy(one, 0, states, s * size, size);
            return 1;
        });
    }

    /** {@code batch} series a call, in consecutive blocks of the {@code series} states. */
    static Candidate batched(String name, SequenceModel model, int series, int batch) {
        int in = model.info().inputSize();
        int size = model.stateSize();
        int blocks = Math.max(1, series / batch);
        float[][] states = new float[blocks][batch * size];
        float[] inputs = randomInputs(batch * in);
        float[] out = new float[batch * model.info().outputSize()];
        int[] next = {0};
        return new Candidate(name, batch, () -> {
            int b = next[0];
            next[0] = b + 1 == blocks ? 0 : b + 1;
            model.step(batch, inputs, states[b], out);
            return batch;
        });
    }

    /** DL4J's own recurrent step; the network keeps the state of the last {@code batch} series inside its layers. */
    static Candidate dl4j(String name, MultiLayerNetwork net, int batch) {
        MultiLayerNetwork copy = net.clone();
        int in = (int) copy.layerInputSize(0);
        INDArray x =
                Nd4j.create(randomInputs(batch * in), new long[] {batch, in}).castTo(DataType.FLOAT);
        copy.rnnClearPreviousState();
        return new Candidate(name, batch, () -> {
            copy.rnnTimeStep(x);
            return batch;
        });
    }

    /** Runs every candidate {@code rounds} times for about {@code millis} each, round-robin, after a warm-up. */
    public static List<Result> run(List<Candidate> candidates, int rounds, long millis, PrintWriter log) {
        Map<Candidate, double[]> rates = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            measure(c, Math.max(200, millis)); // warm-up: JIT compiles the loops
            rates.put(c, new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (Candidate c : candidates) {
                rates.get(c)[r] = measure(c, millis);
            }
            if (log != null) {
                log.printf("  model step round %d/%d done%n", r + 1, rounds);
                log.flush();
            }
        }
        List<Result> results = new ArrayList<>();
        rates.forEach((c, v) -> results.add(new Result(c.name(), c.batch(), Spread.of(v))));
        return results;
    }

    /**
     * Key-steps per second of this thread's CPU time over about {@code millis} of it: on a shared machine the time
     * the thread waited for a core is not the kernel's cost.
     */
    static double measure(Candidate c, long millis) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long budget = millis * 1_000_000L;
        long steps = 0;
        long start = threads.getCurrentThreadCpuTime();
        long used;
        do {
            for (int i = 0; i < 16; i++) {
                steps += c.step().run();
            }
            used = threads.getCurrentThreadCpuTime() - start;
        } while (used < budget);
        return steps * 1e9 / used;
    }

    private static float[] randomInputs(int n) {
        SplittableRandom r = new SplittableRandom(7);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
