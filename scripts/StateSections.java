import io.seqcast.config.PipelineConfig;
import io.seqcast.event.Observation;
import io.seqcast.forecast.SeriesForecaster;
import io.seqcast.kernel.Kernels;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import io.seqcast.state.SeriesStateSerde;
import io.seqcast.training.Networks;
import io.seqcast.training.NetworkSpec;
import io.seqcast.model.CellType;
import java.nio.ByteBuffer;
import java.util.*;

/**
 * The bytes of one series' stored state, section by section, for the pipeline {@code seqcast bench} runs (LSTM 2x64
 * with untrained weights, horizon 6, per-series learning with daily calendar inputs, profiles of 48 and 168 buckets,
 * combined forecasts), and in how many of 40 consecutive records each section's bytes changed. No Kafka:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "target/seqcast.jar:target/lib/*" scripts/StateSections.java [--no-learn]
 * </pre>
 */
public class StateSections {
    static int varint(ByteBuffer b) { int v = 0, s = 0; while (true) { int x = b.get() & 0xff; v |= (x & 0x7f) << s; if (x < 0x80) return v; s += 7; } }
    static long varlong(ByteBuffer b) { long v = 0; int s = 0; while (true) { int x = b.get() & 0xff; v |= (long)(x & 0x7f) << s; if (x < 0x80) return v; s += 7; } }
    static Map<Integer, byte[]> sections(byte[] d) {
        ByteBuffer b = ByteBuffer.wrap(d); b.get(); int flags = b.get(); if ((flags & 1) != 0) varlong(b); varlong(b);
        int n = varint(b); Map<Integer, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) { int tag = b.get() & 0xff; b.get(); int len = varint(b); byte[] x = new byte[len]; b.get(x); m.put(tag, x); }
        return m;
    }
    public static void main(String[] a) throws Exception {
        boolean learn = a.length == 0 || !a[0].equals("--no-learn");
        var pm = io.seqcast.bench.EngineBench.class.getDeclaredMethod("pipeline", String.class, boolean.class);
        pm.setAccessible(true);
        PipelineConfig p = (PipelineConfig) pm.invoke(null, "x", learn);
        var net = Networks.build(NetworkSpec.of(CellType.LSTM, List.of(64, 64), 1, 6, 1));
        SequenceModel model = Kernels.best(net, "bench", "1");
        SeriesForecaster f = new SeriesForecaster(p, model.copy());
        Map<Integer, String> names = new HashMap<>();
        for (var st : f.stages()) names.put(st.tag(), st.getClass().getSimpleName());
        SeriesStateSerde serde = new SeriesStateSerde();
        byte[] stored = null; Map<Integer, byte[]> prev = null; Map<Integer, Integer> changed = new TreeMap<>();
        int rounds = 60; long base = 1_700_000_000_000L;
        for (int i = 0; i < rounds; i++) {
            double v = Math.sin(i * 0.1 + 3) * 10 + 50 + 3;
            SeriesState st = f.adopt(stored == null ? null : serde.deserialize(null, stored));
            f.process(st, new Observation("s-3", base + i * 1000L, new double[] {v}, null));
            stored = serde.serialize(null, st);
            Map<Integer, byte[]> cur = sections(stored);
            if (prev != null && i >= rounds - 40) for (var e : cur.entrySet()) if (!Arrays.equals(e.getValue(), prev.get(e.getKey()))) changed.merge(e.getKey(), 1, Integer::sum);
            prev = cur;
        }
        System.out.println("total bytes " + stored.length + " (learning " + learn + ")");
        for (var e : prev.entrySet()) System.out.printf("tag %2d %-20s %5d bytes, changed in %d of %d records%n", e.getKey(), names.get(e.getKey()), e.getValue().length, changed.getOrDefault(e.getKey(), 0), 40);
    }
}
