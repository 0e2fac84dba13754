package io.seqcast.cli;

import static io.seqcast.cli.SeqcastCommandTest.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.cli.SeqcastCommandTest.Result;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.ModelMetadata;
import io.seqcast.testing.MinuteCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code seqcast train --ensemble}: forecasters trained alike with other seeds become one artifact whose forecasts
 * are the mean of theirs at every step of a short series, and an ensemble grows by merging it with another member.
 * Tiny networks, one epoch.
 */
class TrainEnsembleCommandTest {

    @TempDir
    Path dir;

    private Path train(Path csv, long seed, int horizon) {
        Path out = dir.resolve("m" + seed + "h" + horizon + ".seqcast");
        succeeded(SeqcastCommandTest.run(
                "train",
                csv.toString(),
                "--layers",
                "4,3",
                "--horizon",
                Integer.toString(horizon),
                "--epochs",
                "1",
                "--tbptt",
                "20",
                "--inputs",
                "values-and-differences",
                "--loss",
                "mae",
                "--seed",
                Long.toString(seed),
                "--name",
                "wave",
                "--out",
                out.toString()));
        return out;
    }

    private static Result merge(Path out, String version, Path... members) {
        List<String> names = new ArrayList<>();
        for (Path p : members) {
            names.add(p.toString());
        }
        return SeqcastCommandTest.run(
                "train",
                "--ensemble",
                String.join(",", names),
                "--name",
                "wave-mean",
                "--model-version",
                version,
                "--out",
                out.toString());
    }

    /** Each step's forecasts of {@code artifact}'s network over a short series of inputs, stepped as served. */
    private static INDArray forecasts(Path artifact) throws IOException {
        var net = ModelArtifact.read(artifact).network();
        net.rnnClearPreviousState();
        INDArray x = Nd4j.create(DataType.FLOAT, 1, 2, 40);
        for (int t = 0; t < 40; t++) {
            double v = Math.sin(t / 3.0) + 0.1 * Math.cos(t);
            x.putScalar(new long[] {0, 0, t}, v);
            x.putScalar(new long[] {0, 1, t}, t == 0 ? 0 : v - (Math.sin((t - 1) / 3.0) + 0.1 * Math.cos(t - 1)));
        }
        return net.rnnTimeStep(x);
    }

    @Test
    void shouldMergeForecastersIntoOneForecastingTheirMeanAndGrowIt() throws IOException {
        Path csv = MinuteCsv.write(dir.resolve("wave.csv"), 300, i -> Math.sin(2 * Math.PI * i / 12) + 0.01 * i);
        Path a = train(csv, 1, 3);
        Path c = train(csv, 2, 3);
        Path e = train(csv, 3, 3);
        INDArray fa = forecasts(a);
        INDArray fc = forecasts(c);
        INDArray fe = forecasts(e);
        assertNotEquals(0, fa.sub(fc).norm2Number().doubleValue(), 1e-6); // other seeds, other forecasts

        Path pair = dir.resolve("pair.seqcast");
        Result r = succeeded(merge(pair, "2", a, c));
        assertTrue(r.out().contains("the mean of 2 forecasters, LSTM [8, 6]"), r.out());
        assertClose(fa.add(fc).div(2), forecasts(pair));

        // the pair and a third member: the mean of the three, not of the pair's mean and the third
        Path three = dir.resolve("three.seqcast");
        succeeded(merge(three, "3", pair, e));
        assertClose(fa.add(fc).add(fe).div(3), forecasts(three));
        ModelMetadata m = ModelArtifact.read(three).metadata();
        assertEquals("wave-mean", m.name());
        assertEquals("3", m.version());
        assertEquals(List.of(12, 9), m.hiddenSizes());
        assertEquals(List.of("value", "value.difference"), m.inputFeatures());
        assertEquals(3.0, m.validationMetrics().get("ensemble_members"));
        assertEquals(
                ModelArtifact.read(e).metadata().validationMetrics().get("validation_mae"),
                m.validationMetrics().get("member_3_validation_mae"));
        assertEquals(
                ModelArtifact.read(a).metadata().validationMetrics().get("validation_mae"),
                m.validationMetrics().get("member_1_validation_mae"));

        // a member of another horizon is refused
        Path other = train(csv, 1, 2);
        r = merge(dir.resolve("refused.seqcast"), "4", a, other);
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.err().contains("ensemble member 2"), r.err());
        assertTrue(r.err().contains("horizon 3"), r.err());
    }

    private static void assertClose(INDArray expected, INDArray got) {
        assertEquals(
                0,
                got.sub(expected).norm2Number().doubleValue()
                        / expected.norm2Number().doubleValue(),
                1e-5);
    }
}
