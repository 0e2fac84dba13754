package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqcast.model.CellType;
import io.seqcast.model.SequenceShape;
import io.seqcast.model.ShapedModel;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The ensemble network gives the softmax of its members' mean class scores, whatever the input sequence. */
class ClassifierEnsembleTest {

    private static MultiLayerNetwork member(long seed, int units) {
        return member(seed, units, 3);
    }

    private static MultiLayerNetwork member(long seed, int units, int inputs) {
        MultiLayerNetwork net = Networks.build(new NetworkSpec(
                CellType.LSTM,
                List.of(units),
                inputs,
                5,
                0,
                1e-3,
                GradientClipping.defaults(),
                0,
                seed,
                SequenceShape.MANY_TO_ONE,
                OutputHead.CLASSIFICATION,
                1));
        // an untrained network's output bias is zero: make the members differ there too
        Random random = new Random(seed);
        for (int c = 0; c < 5; c++) {
            net.getLayer(1).getParam("b").putScalar(c, random.nextGaussian());
        }
        return net;
    }

    @Test
    void shouldGiveTheSoftmaxOfTheMembersMeanClassScores() {
        List<MultiLayerNetwork> members = List.of(member(1, 4), member(2, 4), member(3, 4));
        MultiLayerNetwork ensemble = ClassifierEnsemble.averageOf(members);
        assertEquals(12, ensemble.getLayer(0).getParam("RW").size(0));

        Random random = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            float[][] input = new float[20 + trial][3];
            for (float[] step : input) {
                for (int c = 0; c < 3; c++) {
                    step[c] = (float) (2 * random.nextGaussian());
                }
            }
            double[] meanLog = new double[5];
            for (MultiLayerNetwork m : members) {
                float[] p = new ShapedModel(m, SequenceShape.MANY_TO_ONE).predict(input)[0];
                for (int c = 0; c < 5; c++) {
                    meanLog[c] += Math.log(p[c]) / members.size();
                }
            }
            double sum = 0;
            for (double v : meanLog) {
                sum += Math.exp(v);
            }
            float[] got = new ShapedModel(ensemble, SequenceShape.MANY_TO_ONE).predict(input)[0];
            for (int c = 0; c < 5; c++) {
                assertEquals(Math.exp(meanLog[c]) / sum, got[c], 1e-5, "class " + c + " in trial " + trial);
            }
        }
    }

    @Test
    void shouldGiveWhatItsOnlyMemberGives() {
        MultiLayerNetwork one = member(5, 6);
        MultiLayerNetwork ensemble = ClassifierEnsemble.averageOf(List.of(one));
        float[][] input = new float[15][3];
        for (int t = 0; t < input.length; t++) {
            input[t] = new float[] {(float) Math.sin(t), (float) Math.cos(t / 2.0), t / 15f};
        }
        float[] expected = new ShapedModel(one, SequenceShape.MANY_TO_ONE).predict(input)[0];
        float[] got = new ShapedModel(ensemble, SequenceShape.MANY_TO_ONE).predict(input)[0];
        for (int c = 0; c < 5; c++) {
            assertEquals(expected[c], got[c], 1e-6);
        }
    }

    @Test
    void shouldLetAMemberOfFewerInputsReadTheFirstOnes() {
        // a member trained before two input channels were appended reads the first three of five; the other all five
        MultiLayerNetwork older = member(8, 4, 3);
        MultiLayerNetwork newer = member(9, 4, 5);
        MultiLayerNetwork ensemble = ClassifierEnsemble.averageOf(List.of(older, newer));
        assertEquals(5, ensemble.getLayer(0).getParam("W").size(0));
        Random random = new Random(3);
        float[][] wide = new float[25][5];
        float[][] narrow = new float[25][3];
        for (int t = 0; t < wide.length; t++) {
            for (int c = 0; c < 5; c++) {
                wide[t][c] = (float) random.nextGaussian();
            }
            System.arraycopy(wide[t], 0, narrow[t], 0, 3);
        }
        float[] a = new ShapedModel(older, SequenceShape.MANY_TO_ONE).predict(narrow)[0];
        float[] b = new ShapedModel(newer, SequenceShape.MANY_TO_ONE).predict(wide)[0];
        double[] logit = new double[5];
        double sum = 0;
        for (int c = 0; c < 5; c++) {
            logit[c] = Math.exp((Math.log(a[c]) + Math.log(b[c])) / 2);
            sum += logit[c];
        }
        float[] got = new ShapedModel(ensemble, SequenceShape.MANY_TO_ONE).predict(wide)[0];
        for (int c = 0; c < 5; c++) {
            assertEquals(logit[c] / sum, got[c], 1e-5, "class " + c);
        }
    }

    @Test
    void shouldRefuseMembersOfOtherSizes() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassifierEnsemble.averageOf(List.of(member(1, 4), member(2, 5))));
        assertThrows(IllegalArgumentException.class, () -> ClassifierEnsemble.averageOf(List.of()));
    }
}
