package io.seqcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceShape;
import io.seqcast.model.ShapedModel;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** Class offsets move each class's log-odds by exactly the offset given (the prior correction of the beat classifier). */
class ClassOffsetsTest {

    @Test
    void shouldMoveEachClassScoreByItsOffset() throws Exception {
        MultiLayerNetwork net = ModelArtifact.read(Path.of("src/test/resources/classify/ecg-gru.zip"))
                .network()
                .clone();
        float[][] input = new float[42][1];
        for (int t = 0; t < input.length; t++) {
            input[t][0] = (float) Math.sin(t / 3.0);
        }
        float[] before = new ShapedModel(net, SequenceShape.MANY_TO_ONE).predict(input)[0];
        HeartbeatTraining.shiftClassScores(net, new double[] {0.5, -1.25});
        float[] after = new ShapedModel(net, SequenceShape.MANY_TO_ONE).predict(input)[0];

        double logOddsBefore = Math.log(before[1] / before[0]);
        double logOddsAfter = Math.log(after[1] / after[0]);
        assertEquals(logOddsBefore - 1.75, logOddsAfter, 1e-4);
        assertEquals(1, after[0] + after[1], 1e-5);
        assertThrows(IllegalArgumentException.class, () -> HeartbeatTraining.shiftClassScores(net, new double[3]));
    }
}
