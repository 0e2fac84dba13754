package io.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class GruLayerTest {

    private static final int IN = 3;
    private static final int N = 4;
    private static final int OUT = 2;

    /** GRU layers of the given widths and a per-step identity/MSE output, in double precision, random parameters. */
    private static MultiLayerNetwork doubleNetwork(long seed, int tbptt, int... widths) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .list();
        int nIn = IN;
        for (int i = 0; i < widths.length; i++) {
            list.layer(i, new GruLayer.Builder().nIn(nIn).nOut(widths[i]).build());
            nIn = widths[i];
        }
        list.layer(
                widths.length,
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY)
                        .nIn(nIn)
                        .nOut(OUT)
                        .dataFormat(RNNFormat.NCW)
                        .build());
        if (tbptt > 0) {
            list.backpropType(BackpropType.TruncatedBPTT)
                    .tBPTTForwardLength(tbptt)
                    .tBPTTBackwardLength(tbptt);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        SplittableRandom random = new SplittableRandom(seed);
        INDArray p = net.params();
        for (long i = 0; i < p.length(); i++) {
            p.putScalar(i, random.nextDouble(-0.8, 0.8));
        }
        return net;
    }

    private static INDArray randomInput(int batch, int features, int steps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, batch, features, steps);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, random.nextGaussian());
        }
        return x;
    }

    /** The GRU equations of {@link GruLayer}'s javadoc, written out in plain double arithmetic. */
    private static double[][] directGru(double[][] xs, double[][] w, double[][] rw, double[] b) {
        int n = b.length / 3;
        double[] h = new double[n];
        double[][] outs = new double[xs.length][];
        for (int t = 0; t < xs.length; t++) {
            double[] r = new double[n];
            double[] u = new double[n];
            double[] c = new double[n];
            for (int j = 0; j < n; j++) {
                double zr = b[j];
                double zu = b[n + j];
                for (int i = 0; i < xs[t].length; i++) {
                    zr += xs[t][i] * w[i][j];
                    zu += xs[t][i] * w[i][n + j];
                }
                for (int k = 0; k < n; k++) {
                    zr += h[k] * rw[k][j];
                    zu += h[k] * rw[k][n + j];
                }
                r[j] = 1 / (1 + Math.exp(-zr));
                u[j] = 1 / (1 + Math.exp(-zu));
            }
            for (int j = 0; j < n; j++) {
                double zc = b[2 * n + j];
                for (int i = 0; i < xs[t].length; i++) {
                    zc += xs[t][i] * w[i][2 * n + j];
                }
                for (int k = 0; k < n; k++) {
                    zc += r[k] * h[k] * rw[k][2 * n + j];
                }
                c[j] = Math.tanh(zc);
            }
            double[] next = new double[n];
            for (int j = 0; j < n; j++) {
                next[j] = u[j] * h[j] + (1 - u[j]) * c[j];
            }
            h = next;
            outs[t] = next;
        }
        return outs;
    }

    @Test
    void shouldComputeTheGruEquations() {
        MultiLayerNetwork net = doubleNetwork(3, 0, N);
        int steps = 12;
        INDArray x = randomInput(2, IN, steps, 4);

        INDArray activations = net.feedForward(x, false).get(1); // [2, N, steps]

        var table = net.getLayer(0).paramTable();
        double[][] w = table.get("W").toDoubleMatrix();
        double[][] rw = table.get("RW").toDoubleMatrix();
        double[] b = table.get("b").toDoubleVector();
        for (int s = 0; s < 2; s++) {
            double[][] xs = new double[steps][IN];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < IN; i++) {
                    xs[t][i] = x.getDouble(s, i, t);
                }
            }
            double[][] expected = directGru(xs, w, rw, b);
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < N; j++) {
                    assertEquals(
                            expected[t][j],
                            activations.getDouble(s, j, t),
                            1e-12,
                            "series " + s + " unit " + j + " step " + t);
                }
            }
        }
    }

    /** GradientCheckUtil refuses to run unless ND4J's default data type is double; restores the previous default. */
    private static boolean inDoublePrecision(java.util.function.BooleanSupplier check) {
        DataType before = Nd4j.dataType();
        DataType floatBefore = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return check.getAsBoolean();
        } finally {
            Nd4j.setDefaultDataTypes(before, floatBefore);
        }
    }

    @Test
    void shouldMatchNumericalGradientsOfStackedLayers() {
        MultiLayerNetwork net = doubleNetwork(5, 0, N, 3);
        INDArray x = randomInput(3, IN, 6, 6);
        INDArray y = randomInput(3, OUT, 6, 7);

        boolean ok = inDoublePrecision(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net)
                .input(x)
                .labels(y)
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(false)));

        assertTrue(ok, "analytic gradients of every GRU parameter and the input match central differences");
    }

    @Test
    void shouldMatchNumericalGradientsWithAFeatureMaskAndAPartialLabelMask() {
        MultiLayerNetwork net = doubleNetwork(8, 0, N);
        INDArray x = randomInput(2, IN, 5, 9);
        INDArray y = randomInput(2, OUT, 5, 10);
        INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});

        boolean ok = inDoublePrecision(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net)
                .input(x)
                .labels(y)
                .inputMask(mask)
                .labelMask(mask)
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(false)));

        assertTrue(ok, "masked gradients match central differences");
    }

    @Test
    void shouldStepStatefullyLikeTheWholeSequence() {
        MultiLayerNetwork net = doubleNetwork(11, 0, N, 3);
        INDArray x = randomInput(2, IN, 9, 12);
        INDArray whole = net.output(x);

        net.rnnClearPreviousState();
        for (int t = 0; t < 9; t++) {
            INDArray step = net.rnnTimeStep(x.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(t)));
            for (int s = 0; s < 2; s++) {
                for (int k = 0; k < OUT; k++) {
                    assertEquals(whole.getDouble(s, k, t), step.getDouble(s, k), 1e-12, "step " + t);
                }
            }
        }
    }

    @Test
    void shouldTrainWithTruncatedBpttCarryingTheState() {
        MultiLayerNetwork net = doubleNetwork(13, 4, N);
        INDArray x = randomInput(2, IN, 12, 14);
        INDArray y = randomInput(2, OUT, 12, 15);
        double before = net.score(new org.nd4j.linalg.dataset.DataSet(x, y));
        net.setListeners();
        var conf = net.getLayerWiseConfigurations();
        for (var layerConf : conf.getConfs()) {
            ((org.deeplearning4j.nn.conf.layers.BaseLayer) layerConf.getLayer())
                    .setIUpdater(new org.nd4j.linalg.learning.config.Sgd(0.05));
        }
        MultiLayerNetwork trainable = new MultiLayerNetwork(conf);
        trainable.init(net.params().dup(), false);
        for (int i = 0; i < 30; i++) {
            trainable.fit(x, y);
        }
        double after = trainable.score(new org.nd4j.linalg.dataset.DataSet(x, y));
        assertTrue(after < 0.8 * before, "loss " + before + " -> " + after);
    }

    @Test
    void shouldSurviveDl4jSerialisation() throws Exception {
        MultiLayerNetwork net = doubleNetwork(17, 0, N);
        INDArray x = randomInput(1, IN, 7, 18);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, false);

        MultiLayerNetwork restored =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), false);

        assertTrue(restored.getLayer(0).conf().getLayer() instanceof GruLayer);
        assertEquals(net.output(x), restored.output(x));
        assertEquals(
                List.of("W", "RW", "b"),
                List.copyOf(restored.getLayer(0).paramTable().keySet()));
    }
}
