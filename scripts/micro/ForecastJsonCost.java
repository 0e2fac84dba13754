import com.fasterxml.jackson.core.*;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.seqcast.event.*;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.*;

/**
 * Forecast JSON: Jackson's streaming generator (how EventJson wrote forecasts before 4 December) against ForecastWriter, in
 * one JVM, alternating blocks of 50,000 forecasts, thread CPU time; checks both write the same bytes first. Run:
 *
 * <pre>
 * java -cp "target/seqcast.jar:target/lib/*" scripts/micro/ForecastJsonCost.java 15
 * </pre>
 */
public class ForecastJsonCost {
    static final JsonFactory F = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build().getFactory();
    static byte[] jackson(Forecast f) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = F.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "forecast"); g.writeStringField("series", f.series()); g.writeStringField("pipeline", f.pipeline());
            g.writeStringField("time", TimeText.format(f.time())); g.writeNumberField("observed", f.observed());
            if (f.expected() != null) { g.writeFieldName("expected"); step(g, f.expected()); }
            g.writeNumberField("anomalyScore", f.anomalyScore()); g.writeBooleanField("warmingUp", f.warmingUp());
            g.writeObjectFieldStart("model"); g.writeStringField("name", f.model().name()); g.writeStringField("version", f.model().version()); g.writeEndObject();
            g.writeNumberField("coverage", f.coverage());
            g.writeArrayFieldStart("steps"); for (ForecastStep s : f.steps()) step(g, s); g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }
    static void step(JsonGenerator g, ForecastStep s) throws Exception {
        g.writeStartObject(); g.writeNumberField("step", s.step()); g.writeStringField("time", TimeText.format(s.time()));
        g.writeNumberField("value", s.value()); g.writeNumberField("lower", s.lower()); g.writeNumberField("upper", s.upper()); g.writeEndObject();
    }
    public static void main(String[] a) throws Exception {
        Random r = new Random(1);
        Forecast[] fs = new Forecast[1000];
        for (int i = 0; i < fs.length; i++) {
            long t = 1_700_000_000_000L + i * 300_000L;
            List<ForecastStep> steps = new ArrayList<>();
            for (int k = 1; k <= 6; k++) { double v = 50 + 10 * r.nextGaussian(); steps.add(new ForecastStep(k, t + k * 300_000L, v, v - 3 * r.nextDouble(), v + 3 * r.nextDouble())); }
            double v = 50 + 10 * r.nextGaussian();
            fs[i] = new Forecast("m" + i, "machines", t, v, new ForecastStep(0, t, v + r.nextGaussian(), v - 4, v + 4), r.nextDouble(), false, new ModelRef("lstm-2x32", "3"), 0.9, steps);
        }
        ForecastWriter w = new ForecastWriter();
        for (Forecast f : fs) if (!Arrays.equals(jackson(f), w.write(f))) throw new AssertionError();
        var cpu = ManagementFactory.getThreadMXBean();
        int rounds = Integer.parseInt(a[0]);
        double[][] us = new double[2][rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (int which = 0; which < 2; which++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int it = 0; it < 50; it++) for (Forecast f : fs) sink += (which == 0 ? jackson(f) : w.write(f)).length;
                us[which][round] = (cpu.getCurrentThreadCpuTime() - t0) / 1e3 / (50.0 * fs.length);
            }
        }
        for (int which = 0; which < 2; which++) {
            double[] m = Arrays.copyOfRange(us[which], 3, rounds); Arrays.sort(m);
            System.out.printf("%s µs CPU per forecast: median %.2f [%.2f..%.2f] of rounds 4..%d%n", which == 0 ? "Jackson generator" : "ForecastWriter", m[m.length / 2], m[0], m[m.length - 1], rounds);
        }
        double[] ratio = new double[rounds - 3];
        for (int i = 3; i < rounds; i++) ratio[i - 3] = us[1][i] / us[0][i];
        Arrays.sort(ratio);
        System.out.printf("writer / Jackson per round: median %.3f [%.3f..%.3f] (sink %d)%n", ratio[ratio.length / 2], ratio[0], ratio[ratio.length - 1], sink);
    }
}
