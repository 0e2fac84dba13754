// Research (not shipped): training parity of seqcast's DL4J network with the PyTorch probe. Reads parity_torch.py's
// output directory: builds the network as training/Trainer does (Networks.build: LSTM 32,32, 2 inputs, 12 outputs,
// Adam 0.01, tBPTT 25, MAE head, no clipping), loads the probe's initial parameters, compares the first gradient with
// the probe's, then fits the same arrays for k updates and compares the parameters with the probe's after k.
// java -cp 'target/seqcast.jar:target/lib/*' scripts/learning/ParityDl4j.java DIR [k ...]
import io.seqcast.model.CellType;
import io.seqcast.model.SequenceShape;
import io.seqcast.training.GradientClipping;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import io.seqcast.training.OutputHead;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

public class ParityDl4j {
    static Map<String, INDArray> read(Path file) throws Exception {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            int rows = Integer.parseInt(f[2]), cols = Integer.parseInt(f[3]);
            float[] v = new float[rows * cols];
            for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(f[4 + i]);
            m.put(f[0] + "_" + f[1], Nd4j.create(v, new long[] {rows, cols}, 'c'));
        }
        return m;
    }

    static INDArray bin(Path file, long... shape) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return Nd4j.create(v, shape, 'c');
    }

    static double lr = 0.01;

    static boolean fixed = Boolean.getBoolean("fixed");

    /** DL4J 1.0.0-M2.1's computeGradientAndScore passes tbptt=false to calcBackpropGradients: forced here. */
    static class Fixed extends MultiLayerNetwork {
        Fixed(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf) { super(conf); }
        @Override
        protected org.nd4j.common.primitives.Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> calcBackpropGradients(
                INDArray epsilon, boolean withOutputLayer, boolean tbptt, boolean returnInputActGrad) {
            return super.calcBackpropGradients(epsilon, withOutputLayer,
                    tbptt || getLayerWiseConfigurations().getBackpropType() == org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT, returnInputActGrad);
        }
    }

    static MultiLayerNetwork net(Map<String, INDArray> init) {
        MultiLayerNetwork net = Networks.build(new NetworkSpec(CellType.LSTM, List.of(32, 32), 2, 12, 0, lr,
                GradientClipping.none(), 25, 42, SequenceShape.MANY_TO_MANY, OutputHead.MEDIAN, 1));
        if (fixed) {
            net = new Fixed(net.getLayerWiseConfigurations());
            net.init();
        }
        for (var e : init.entrySet()) {
            String[] k = e.getKey().split("_");
            INDArray old = net.getLayer(Integer.parseInt(k[0])).getParam(k[1]);
            net.getLayer(Integer.parseInt(k[0])).setParam(k[1], e.getValue().reshape(old.shape()));
        }
        return net;
    }

    static String compare(Map<String, INDArray> torch, MultiLayerNetwork net, boolean gradient) {
        StringBuilder s = new StringBuilder();
        for (var e : torch.entrySet()) {
            INDArray t = e.getValue().reshape(-1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            INDArray d = (gradient ? net.gradient().getGradientFor(e.getKey()) : net.getParam(e.getKey()))
                    .dup().reshape(t.shape()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            double cos = t.mul(d).sumNumber().doubleValue() / (t.norm2Number().doubleValue() * d.norm2Number().doubleValue());
            double ratio = d.norm2Number().doubleValue() / t.norm2Number().doubleValue();
            double rel = d.sub(t).norm2Number().doubleValue() / t.norm2Number().doubleValue();
            s.append(String.format("  %-5s cos %.6f norm ratio %.4f rel diff %.2e%n", e.getKey(), cos, ratio, rel));
        }
        return s.toString();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String meta = Files.readString(dir.resolve("torch.json"));
        int pieces = Integer.parseInt(meta.replaceAll(".*\"pieces\": (\\d+).*", "$1"));
        int steps = Integer.parseInt(meta.replaceAll(".*\"steps\": (\\d+).*", "$1"));
        INDArray x = bin(dir.resolve("features.bin"), pieces, 2, steps);
        INDArray y = bin(dir.resolve("labels.bin"), pieces, 12, steps);
        Map<String, INDArray> init = read(dir.resolve("init.txt"));
        if (args[1].equals("manual")) { // segment 2's gradient by hand: computeGradientAndScore per segment
            MultiLayerNetwork n = net(init);
            for (int k = 1; k <= 2; k++) {
                n.setInput(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(25 * (k - 1), 25 * k)).dup());
                n.setLabels(y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(25 * (k - 1), 25 * k)).dup());
                var rl = (org.deeplearning4j.nn.api.layers.RecurrentLayer) n.getLayer(0);
                System.out.println("before segment " + k + ": stateMap " + rl.rnnGetPreviousState().entrySet().stream().map(e -> e.getKey() + " norm " + e.getValue().norm2Number()).toList()
                        + " tBPTT " + rl.rnnGetTBPTTState().entrySet().stream().map(e -> e.getKey() + " norm " + e.getValue().norm2Number()).toList());
                n.computeGradientAndScore();
                System.out.println("segment " + k + " score " + n.score() + " stateMap keys " + ((org.deeplearning4j.nn.api.layers.RecurrentLayer) n.getLayer(0)).rnnGetPreviousState().keySet());
                if (args.length > 2) n.updateRnnStateWithTBPTTState();
            }
            StringBuilder s = new StringBuilder();
            for (var e : read(dir.resolve("grad2.txt")).entrySet()) {
                INDArray t = e.getValue().reshape(-1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
                INDArray d = n.gradient().getGradientFor(e.getKey()).dup().reshape(t.shape()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).div(1600);
                s.append(String.format("  %-5s rel diff %.2e%n", e.getKey(), d.sub(t).norm2Number().doubleValue() / t.norm2Number().doubleValue()));
            }
            System.out.print(s);
            return;
        }
        if (args[1].equals("grad")) { // learning rate 0: the gradient of update K with the state carried from 1..K-1
            lr = 1e-30; // NetworkSpec refuses 0; the updates are below float resolution
            for (int i = 2; i < args.length; i++) {
                int k = Integer.parseInt(args[i]);
                MultiLayerNetwork n = net(init);
                Map<String, INDArray> grads = new LinkedHashMap<>();
                n.setListeners(new BaseTrainingListener() {
                    int calls;
                    @Override
                    public void onGradientCalculation(Model model) {
                        if (++calls == k) {
                            for (var e : model.gradient().gradientForVariable().entrySet()) grads.put(e.getKey(), e.getValue().dup());
                        }
                    }
                });
                n.fit(new DataSet(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 25 * k)).dup(),
                        y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 25 * k)).dup(), null, Nd4j.ones(pieces, 25 * k)));
                StringBuilder s = new StringBuilder("gradient of update " + k + " (parameters fixed) against torch's:\n");
                for (var e : read(dir.resolve("grad" + k + ".txt")).entrySet()) {
                    INDArray t = e.getValue().reshape(-1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
                    INDArray d = grads.get(e.getKey()).reshape(t.shape()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).div(1600);
                    s.append(String.format("  %-5s cos %.6f norm ratio %.4f rel diff %.2e%n", e.getKey(),
                            t.mul(d).sumNumber().doubleValue() / (t.norm2Number().doubleValue() * d.norm2Number().doubleValue()),
                            d.norm2Number().doubleValue() / t.norm2Number().doubleValue(), d.sub(t).norm2Number().doubleValue() / t.norm2Number().doubleValue()));
                }
                System.out.print(s);
                StringBuilder w = new StringBuilder();
                for (var e : grads.entrySet()) {
                    String[] key = e.getKey().split("_");
                    INDArray g = e.getValue().div(1600).reshape(e.getValue().rank() == 1 ? new long[] {1, e.getValue().length()} : e.getValue().shape());
                    w.append(key[0]).append(' ').append(key[1]).append(' ').append(g.rows()).append(' ').append(g.columns());
                    for (int r = 0; r < g.rows(); r++) for (int c = 0; c < g.columns(); c++) w.append(' ').append(g.getFloat(r, c));
                    w.append('\n');
                }
                Files.writeString(dir.resolve("grad" + k + "-dl4j.txt"), w.toString());
            }
            return;
        }
        if (args[1].equals("train")) { // train E epochs on every piece's training part, as the probe does
            int length = Integer.parseInt(meta.replaceAll(".*\"length\": (\\d+).*", "$1"));
            int train = Integer.parseInt(meta.replaceAll(".*\"train\": (\\d+).*", "$1"));
            INDArray xa = bin(dir.resolve("features-all.bin"), pieces, 2, length);
            INDArray ya = bin(dir.resolve("labels-all.bin"), pieces, 12, length);
            DataSet batch = new DataSet(
                    xa.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, train)).dup(),
                    ya.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, train)).dup(),
                    null, Nd4j.ones(pieces, train));
            MultiLayerNetwork n = net(init);
            long t0 = System.currentTimeMillis();
            for (int e = 1; e <= Integer.parseInt(args[2]); e++) {
                n.rnnClearPreviousState();
                n.fit(batch);
                n.rnnClearPreviousState();
                INDArray err = Nd4j.math().abs(n.output(xa).sub(ya));
                double tr = err.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, train)).meanNumber().doubleValue();
                double va = err.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(train, length)).meanNumber().doubleValue();
                System.out.printf("ep %d %ds train %.4f val %.4f%n", e, (System.currentTimeMillis() - t0) / 1000, tr, va);
            }
            return;
        }
        // first gradient
        MultiLayerNetwork net = net(init);
        INDArray x1 = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 25)).dup();
        INDArray y1 = y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 25)).dup();
        net.setInput(x1);
        net.setLabels(y1);
        net.computeGradientAndScore();
        System.out.println("first segment: DL4J score " + net.score() + " (torch mean loss x steps x outputs / outputs = "
                + "see torch.json)");
        System.out.println("first gradient (DL4J's, before the updater's division by the minibatch) against torch's:");
        System.out.print(compare(read(dir.resolve("grad1.txt")), net, true));
        for (int i = 1; i < args.length; i++) {
            int k = Integer.parseInt(args[i]);
            MultiLayerNetwork n = net(init);
            List<Double> scores = new ArrayList<>();
            n.setListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    scores.add(model.score());
                }
            });
            INDArray xk = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 25 * k)).dup();
            INDArray yk = y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 25 * k)).dup();
            n.fit(new DataSet(xk, yk, null, Nd4j.ones(pieces, 25 * k)));
            System.out.println("after " + k + " updates (" + scores.size() + " DL4J iterations; scores first "
                    + scores.subList(0, Math.min(3, scores.size())) + " last " + scores.get(scores.size() - 1) + "):");
            System.out.print(compare(read(dir.resolve("params" + k + ".txt")), n, false));
            System.out.println("  DL4J loss per update (score / 25): " + scores.stream().map(v -> String.format("%.4f", v / 25)).toList());
        }
    }
}
