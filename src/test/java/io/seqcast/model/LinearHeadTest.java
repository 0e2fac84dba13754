package io.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearHeadTest {

    /** A classifier of inputs a, b, c into three classes that always gives 0.5, 0.25, 0.25. */
    private record Fixed() implements SequenceModel {
        @Override
        public ModelInfo info() {
            return new ModelInfo("fixed", "1", CellType.LSTM, List.of(1), 3, 3);
        }

        @Override
        public int stateSize() {
            return 2;
        }

        @Override
        public void step(int batch, float[] inputs, float[] states, float[] outputs) {
            for (int s = 0; s < batch; s++) {
                outputs[s * 3] = 0.5f;
                outputs[s * 3 + 1] = 0.25f;
                outputs[s * 3 + 2] = 0.25f;
            }
        }

        @Override
        public SequenceModel copy() {
            return this;
        }
    }

    private static final double LN2 = Math.log(2);

    /** Reads input b: class 1 gains b, class 2 loses b; class 1's bias is ln 2. */
    private static final LinearHead HEAD =
            new LinearHead(List.of("b"), List.of(List.of(0.0), List.of(1.0), List.of(-1.0)), List.of(0.0, LN2, 0.0));

    @Test
    void shouldAddItsLogOddsToTheClassScoresAndRenormalise() {
        SequenceModel model = HEAD.around(new Fixed(), List.of("a", "b", "c"));
        float[] out = new float[3];

        // b = ln 2: scores ln 0.5, ln 0.25 + ln 2 + ln 2 = ln 1, ln 0.25 - ln 2 = ln 0.125; softmax over 1.625
        model.step(1, new float[] {7f, (float) LN2, -3f}, new float[2], out);

        assertArrayEquals(new float[] {0.5f / 1.625f, 1f / 1.625f, 0.125f / 1.625f}, out, 1e-6f);
    }

    @Test
    void shouldReadEachSeriesOwnInputsInABatch() {
        SequenceModel model = HEAD.around(new Fixed(), List.of("a", "b", "c"));
        float[] out = new float[6];

        // series 2 has b = -ln 2: scores ln 0.5, ln 0.25, ln 0.5; softmax over 1.25
        model.step(2, new float[] {0f, (float) LN2, 0f, 5f, (float) -LN2, 5f}, new float[4], out);

        assertArrayEquals(new float[] {0.5f / 1.625f, 1f / 1.625f, 0.125f / 1.625f, 0.4f, 0.2f, 0.4f}, out, 1e-6f);
    }

    @Test
    void shouldRefuseAnInputTheModelDoesNotRead() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HEAD.around(new Fixed(), List.of("a", "c", "d")));

        assertTrue(e.getMessage().contains("reads input 'b'"), e.getMessage());
    }

    @Test
    void shouldRefuseWeightRowsThatDoNotMatchItsInputs() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new LinearHead(List.of("a", "b"), List.of(List.of(1.0)), List.of(0.0)));

        assertTrue(e.getMessage().contains("reads 2 inputs"), e.getMessage());
    }
}
