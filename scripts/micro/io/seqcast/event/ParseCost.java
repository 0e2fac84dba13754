package io.seqcast.event;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Observation parse: Jackson's tree (every record before 4 December) against the simple form's reader, in one JVM,
 * alternating blocks of 100,000 observations, thread CPU time. It uses ObservationParser's package-private constructor,
 * so it is compiled into the package:
 *
 * <pre>
 * javac -cp "target/seqcast.jar:target/lib/*" -d /tmp/parsecost scripts/micro/io/seqcast/event/ParseCost.java
 * java -cp "/tmp/parsecost:target/seqcast.jar:target/lib/*" io.seqcast.event.ParseCost 15
 * </pre>
 */
public class ParseCost {
    public static void main(String[] a) throws Exception {
        Random r = new Random(1);
        byte[][] keys = new byte[1000][];
        byte[][] values = new byte[1000][];
        for (int i = 0; i < values.length; i++) {
            String key = "s" + i;
            keys[i] = key.getBytes(StandardCharsets.UTF_8);
            values[i] = EventJson.encodeObservation(key, 1_700_000_000_000L + i * 300_000L, 50 + 10 * r.nextGaussian());
        }
        ObservationParser[] p = {new ObservationParser(FieldMapping.DEFAULT, false), new ObservationParser(FieldMapping.DEFAULT, true)};
        var cpu = ManagementFactory.getThreadMXBean();
        int rounds = Integer.parseInt(a[0]);
        double[][] us = new double[2][rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (int w = 0; w < 2; w++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int it = 0; it < 100; it++) for (int i = 0; i < values.length; i++) sink += p[w].parse(keys[i], values[i]).time();
                us[w][round] = (cpu.getCurrentThreadCpuTime() - t0) / 1e3 / (100.0 * values.length);
            }
        }
        for (int w = 0; w < 2; w++) {
            double[] m = Arrays.copyOfRange(us[w], 3, rounds); Arrays.sort(m);
            System.out.printf("%s µs CPU per observation: median %.3f [%.3f..%.3f] of rounds 4..%d%n", w == 0 ? "Jackson tree" : "simple reader", m[m.length / 2], m[0], m[m.length - 1], rounds);
        }
        double[] q = new double[rounds - 3];
        for (int i = 3; i < rounds; i++) q[i - 3] = us[1][i] / us[0][i];
        Arrays.sort(q);
        System.out.printf("simple / tree per round: median %.3f [%.3f..%.3f] (sink %d)%n", q[q.length / 2], q[0], q[q.length - 1], sink);
    }
}
