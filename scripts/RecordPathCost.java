import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.event.EventJson;
import io.seqcast.event.Observation;
import io.seqcast.event.ObservationParser;
import io.seqcast.forecast.Outcome;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.kernel.Kernels;
import io.seqcast.model.ModelArtifact;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * What seqcast's own code costs per record, without Kafka, in CPU time of this thread (so that a loaded machine's
 * waiting is not counted): parse the observation's JSON, read the state's bytes, adopt, step (model, learning,
 * profiles, scoring), write the state's bytes, encode the forecast's JSON; the bundled machines pipeline (learning on,
 * profiles 48 and 168) with its bundled model, or --no-learn. Compare two builds by alternating them:
 *
 * <pre>
 * for i in 1 2 3; do for v in before after; do
 *   java --add-modules jdk.incubator.vector -cp "$v/seqcast.jar:$v/lib/*" scripts/RecordPathCost.java 8 $v; done; done
 * </pre>
 *
 * Arguments: rounds (the first two are warm-up), label, optionally --no-learn. Prints the median µs of CPU per record
 * for the whole path, for the JSON alone (parse and encode) and for the state's bytes alone (read and write).
 */
public class RecordPathCost {
    public static void main(String[] a) throws Exception {
        int series = 200, steps = 100, rounds = Integer.parseInt(a[0]);
        PipelineConfig p = PipelineFiles.load(Path.of("topology/machines.yaml")).get(0);
        if (a.length > 2 && a[2].equals("--no-learn")) {
            p = p.withForecast(p.forecast().withLearning(PipelineConfig.Learning.OFF));
        }
        ModelArtifact art = ModelArtifact.read(p.modelArtifact());
        SequenceModel model = Kernels.best(art.network(), art.metadata().name(), art.metadata().version());
        SeriesForecaster f = new SeriesForecaster(p, model.copy());
        SeriesStateSerde serde = new SeriesStateSerde();
        ObservationParser parser = new ObservationParser(p.input().fields());
        var cpu = ManagementFactory.getThreadMXBean();
        double[] whole = new double[rounds];
        double[] json = new double[rounds];
        double[] state = new double[rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            byte[][] stored = new byte[series][];
            Random rnd = new Random(1);
            long jsonNs = 0;
            long stateNs = 0;
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < steps; i++) {
                for (int s = 0; s < series; s++) {
                    double v = 50 + 10 * Math.sin(i / 12.0 + s) + rnd.nextGaussian();
                    String key = "s" + s;
                    byte[] in = EventJson.encodeObservation(key, 1_700_000_000_000L + i * 300_000L, v);
                    long j0 = cpu.getCurrentThreadCpuTime();
                    Observation o = parser.parse(key.getBytes(StandardCharsets.UTF_8), in);
                    long s0 = cpu.getCurrentThreadCpuTime();
                    SeriesState read = stored[s] == null ? null : serde.deserialize(null, stored[s]);
                    long s1 = cpu.getCurrentThreadCpuTime();
                    SeriesState st = f.adopt(read);
                    Outcome out = f.process(st, o);
                    long s2 = cpu.getCurrentThreadCpuTime();
                    stored[s] = serde.serialize(null, st);
                    long j1 = cpu.getCurrentThreadCpuTime();
                    byte[] forecast = out instanceof Outcome.Accepted acc ? EventJson.encode(acc.forecast()) : in;
                    long j2 = cpu.getCurrentThreadCpuTime();
                    jsonNs += (s0 - j0) + (j2 - j1);
                    stateNs += (s1 - s0) + (j1 - s2);
                    sink += stored[s].length + forecast.length;
                }
            }
            int n = series * steps;
            whole[r] = (cpu.getCurrentThreadCpuTime() - t0) / 1e3 / n;
            json[r] = jsonNs / 1e3 / n;
            state[r] = stateNs / 1e3 / n;
        }
        System.out.printf("%s µs CPU/record: whole %.1f, JSON %.1f, state bytes %.1f (medians of rounds 3..%d; sink %d)%n",
                a[1], median(whole), median(json), median(state), rounds, sink);
    }

    private static double median(double[] perRound) {
        double[] m = Arrays.copyOfRange(perRound, 2, perRound.length);
        Arrays.sort(m);
        return m[m.length / 2];
    }
}
