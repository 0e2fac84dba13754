package io.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The inputs a stateful model reads, as training and serving compute them, and their names in the metadata. */
class ModelInputsTest {

    @Test
    void shouldFeedTheValueThenItsDifferenceFromTheValueBeforeStartingFromZero() {
        float[][] in = ModelInputs.VALUES_AND_DIFFERENCES.series(new float[] {1f, 3f, 2.5f, -1f});
        assertArrayEquals(new float[] {1f, 1f}, in[0], "the zero state's previous value is 0");
        assertArrayEquals(new float[] {3f, 2f}, in[1]);
        assertArrayEquals(new float[] {2.5f, -0.5f}, in[2]);
        assertArrayEquals(new float[] {-1f, -3.5f}, in[3]);
        float[][] plain = ModelInputs.VALUES.series(new float[] {1f, 3f});
        assertArrayEquals(new float[] {1f}, plain[0]);
        assertArrayEquals(new float[] {3f}, plain[1]);
    }

    @Test
    void shouldKeepThePreviousValuesAfterTheStateAndComputeWhatTheSeriesFormComputes() {
        // two features, the previous values carried after 3 floats of hidden state (as the model stage keeps them)
        float[] state = {9f, 9f, 9f, 0f, 0f};
        float[] out = new float[5];
        ModelInputs.VALUES_AND_DIFFERENCES.fill(new float[] {1f, 2f}, 2, state, 3, out, 1);
        assertArrayEquals(new float[] {0f, 1f, 2f, 1f, 2f}, out);
        ModelInputs.VALUES_AND_DIFFERENCES.fill(new float[] {4f, 0f}, 2, state, 3, out, 1);
        assertArrayEquals(new float[] {0f, 4f, 0f, 3f, -2f}, out);
        assertArrayEquals(new float[] {9f, 9f, 9f, 4f, 0f}, state, "the hidden state is left alone");
        assertEquals(4, ModelInputs.VALUES_AND_DIFFERENCES.width(2));
        assertEquals(2, ModelInputs.VALUES_AND_DIFFERENCES.carried(2));
        assertEquals(0, ModelInputs.VALUES.carried(2));
    }

    @Test
    void shouldRecordTheInputsInTheFeatureNamesAndReadThemBack() {
        List<String> names = ModelInputs.VALUES_AND_DIFFERENCES.names(List.of("value"));
        assertEquals(List.of("value", "value.difference"), names);
        assertEquals(ModelInputs.VALUES_AND_DIFFERENCES, ModelInputs.ofInputFeatures(names));
        assertEquals(ModelInputs.VALUES, ModelInputs.ofInputFeatures(List.of("value")));
        assertEquals(ModelInputs.VALUES, ModelInputs.ofInputFeatures(List.of("v0", "covariate:time-of-day.sin")));
        assertEquals(ModelInputs.VALUES_AND_DIFFERENCES, ModelInputs.of("values-and-differences"));
        assertThrows(IllegalArgumentException.class, () -> ModelInputs.of("returns"));
    }
}
