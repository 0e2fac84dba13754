import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.event.Observation;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.kernel.Kernels;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Per-event cost of the series step as the processor does it, without Kafka: read the state's bytes, adopt, process
 * one observation, write the bytes back; the machines pipeline with its bundled model, 200 series of 100 observations
 * a round. Compare two builds by alternating them (nothing else running):
 *
 * <pre>
 * for i in 1 2 3; do for v in before after; do
 *   java --add-modules jdk.incubator.vector -cp "$v/seqcast.jar:$v/lib/*" scripts/StepCost.java 8 $v; done; done
 * </pre>
 *
 * Arguments: rounds (the first two are warm-up), label. Prints the median ns per event and every round's.
 */
public class StepCost {
    public static void main(String[] a) throws Exception {
        int series = 200, steps = 100, rounds = Integer.parseInt(a[0]);
        PipelineConfig p = PipelineFiles.load(Path.of("topology/machines.yaml")).get(0);
        ModelArtifact art = ModelArtifact.read(p.modelArtifact());
        SequenceModel model = Kernels.best(art.network(), art.metadata().name(), art.metadata().version());
        SeriesForecaster f = new SeriesForecaster(p, model.copy());
        SeriesStateSerde serde = new SeriesStateSerde();
        double[] perRound = new double[rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            byte[][] stored = new byte[series][];
            Random rnd = new Random(1);
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                for (int s = 0; s < series; s++) {
                    SeriesState st = f.adopt(stored[s] == null ? null : serde.deserialize(null, stored[s]));
                    double v = 50 + 10 * Math.sin(i / 12.0 + s) + rnd.nextGaussian();
                    Object out = f.process(st, new Observation("s" + s, 1_700_000_000_000L + i * 300_000L,
                            new double[] {v}, Map.of()));
                    stored[s] = serde.serialize(null, st);
                    sink += stored[s].length + (out == null ? 0 : 1);
                }
            }
            perRound[r] = (System.nanoTime() - t0) / (double) (series * steps);
        }
        double[] measured = Arrays.copyOfRange(perRound, 2, rounds); // two rounds of warm-up
        Arrays.sort(measured);
        System.out.printf("%s ns/event: median %.0f, rounds %s (sink %d)%n", a[1], measured[measured.length / 2],
                Arrays.toString(Arrays.stream(perRound).mapToLong(Math::round).toArray()), sink);
    }
}
