package io.seqcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.errors.DeadLetters;
import io.seqcast.event.Forecast;
import io.seqcast.testing.Driver;
import io.seqcast.testing.TestPipelines;
import io.seqcast.testing.TinyModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeriesTopologyTest {

    static final long T0 = 1_400_000_000_000L;
    static final long STEP = 5 * 60_000L;

    @TempDir
    Path dir;

    static double value(int series, int i) {
        return 50 + 10 * series + 5 * Math.sin(i / (3.0 + series)) + ((i * 7919 + series * 104729) % 13) / 13.0;
    }

    /** Outputs of each series streamed alone, through a fresh topology. */
    private Map<String, List<Forecast>> alone(PipelineConfig p, int seriesCount, int length) {
        Map<String, List<Forecast>> out = new HashMap<>();
        for (int s = 0; s < seriesCount; s++) {
            try (Driver d = new Driver(p, new TinyModel(1, 8, 3), dir.resolve("alone-" + s))) {
                for (int i = 0; i < length; i++) {
                    d.send("s" + s, T0 + i * STEP, value(s, i));
                }
                out.put("s" + s, d.readForecasts());
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(
            value = PipelineConfig.Mode.class,
            names = {"STATEFUL", "WINDOWED"})
    void shouldGiveEachSeriesExactlyItsOutputAloneUnderAnyInterleaving(PipelineConfig.Mode mode) {
        PipelineConfig p = TestPipelines.withMode(TestPipelines.stateful(), mode);
        int seriesCount = 5;
        int length = 60;
        Map<String, List<Forecast>> expected = alone(p, seriesCount, length);
        Random random = new Random(7);
        for (int trial = 0; trial < 10; trial++) {
            int[] next = new int[seriesCount];
            List<Integer> order = new ArrayList<>();
            for (int s = 0; s < seriesCount; s++) {
                for (int i = 0; i < length; i++) {
                    order.add(s);
                }
            }
            java.util.Collections.shuffle(order, random);
            try (Driver d = new Driver(p, new TinyModel(1, 8, 3), dir.resolve("mixed-" + mode + trial))) {
                for (int s : order) {
                    int i = next[s]++;
                    d.send("s" + s, T0 + i * STEP, value(s, i));
                }
                Map<String, List<Forecast>> got = new LinkedHashMap<>();
                for (Forecast f : d.readForecasts()) {
                    got.computeIfAbsent(f.series(), k -> new ArrayList<>()).add(f);
                }
                for (int s = 0; s < seriesCount; s++) {
                    assertEquals(
                            expected.get("s" + s),
                            got.get("s" + s),
                            "series s" + s + " in interleaving " + trial + " (" + mode + ")");
                }
            }
        }
    }

    @Test
    void shouldDeadLetterEveryKindOfBadInputWithItsReasonAndKeepGoing() {
        try (Driver d = new Driver(TestPipelines.stateful(), new TinyModel(1, 8, 3), dir)) {
            d.send("a", T0, 1.0);
            Map<String, String[]> cases = new LinkedHashMap<>();
            cases.put("unparseable", new String[] {"a", "{not json"});
            cases.put("unparseable ", new String[] {"a", "[1,2]"});
            cases.put("missing-field", new String[] {"a", "{\"series\":\"a\",\"value\":1}"});
            cases.put("missing-field ", new String[] {"a", "{\"series\":\"a\",\"time\":\"2014-07-01T00:00:00Z\"}"});
            cases.put("invalid-field", new String[] {"a", "{\"series\":\"a\",\"time\":\"yesterday\",\"value\":1}"});
            cases.put("non-finite", new String[] {"a", "{\"series\":\"a\",\"time\":1400000900000,\"value\":NaN}"});
            cases.put("non-finite ", new String[] {"a", "{\"series\":\"a\",\"time\":1400000900000,\"value\":1e999}"});
            cases.put(
                    "wrong-vector-length",
                    new String[] {"a", "{\"series\":\"a\",\"time\":1400000900000,\"value\":[1,2]}"});
            cases.put("missing-key", new String[] {null, "{\"series\":\"a\",\"time\":1400000900000,\"value\":1}"});
            cases.put("key-mismatch", new String[] {"b", "{\"series\":\"a\",\"time\":1400000900000,\"value\":1}"});
            cases.put("late", new String[] {"a", "{\"series\":\"a\",\"time\":1399999000000,\"value\":1}"});
            cases.put("duplicate", new String[] {"a", "{\"series\":\"a\",\"time\":" + T0 + ",\"value\":2}"});
            for (var c : cases.entrySet()) {
                d.sendRaw(c.getValue()[0], c.getValue()[1]);
            }
            d.send("a", T0 + STEP, 2.0);

            List<TestRecord<byte[], byte[]>> dead = d.readDeadLetters();
            assertEquals(cases.size(), dead.size(), "every bad record is dead-lettered once");
            int i = 0;
            for (var c : cases.entrySet()) {
                TestRecord<byte[], byte[]> r = dead.get(i++);
                assertEquals(c.getKey().trim(), Driver.header(r.headers(), DeadLetters.REASON), c.getValue()[1]);
                assertNotNull(Driver.header(r.headers(), DeadLetters.DETAIL));
                assertEquals("obs", Driver.header(r.headers(), DeadLetters.SOURCE_TOPIC));
                assertNotNull(Driver.header(r.headers(), DeadLetters.SOURCE_OFFSET));
                assertArrayEquals(c.getValue()[1].getBytes(StandardCharsets.UTF_8), r.value(), "original bytes kept");
                assertEquals(
                        1.0,
                        d.metrics.count(
                                "seqcast.dead.letter", "reason", c.getKey().trim()),
                        1.0,
                        "counted by reason");
            }
            List<Forecast> forecasts = d.readForecasts();
            assertEquals(2, forecasts.size(), "the good records before and after are forecast");
            assertEquals(T0 + STEP, forecasts.get(1).time());
        }
    }

    @Test
    void shouldOpenOneAlertForASpikeAndResolveIt() {
        try (Driver d = new Driver(TestPipelines.stateful(), new TinyModel(1, 8, 3), dir)) {
            // with measurement noise: a noiseless quasi-periodic signal is still showing new lows of its activity after
            // 100 observations, which novelty flags (see NoveltyTest)
            java.util.Random noise = new java.util.Random(1);
            for (int i = 0; i < 400; i++) {
                double v = 100 + Math.sin(i / 5.0) + ((i * 31) % 7) * 0.05 + noise.nextGaussian() * 0.1;
                if (i == 300 || i == 301) {
                    v += 60;
                }
                d.send("m", T0 + i * STEP, v);
            }
            var alerts = d.readAlerts();
            assertFalse(alerts.isEmpty(), "the spike raises an alert");
            assertEquals("OPENED", alerts.get(0).lifecycle().name());
            assertEquals(T0 + 300 * STEP, alerts.get(0).openedAt());
            assertEquals("RESOLVED", alerts.get(alerts.size() - 1).lifecycle().name());
            assertTrue(
                    alerts.stream()
                            .allMatch(a -> a.alertId().equals(alerts.get(0).alertId())),
                    "one alert per episode, no repeats: " + alerts);
            var forecasts = d.readForecasts();
            assertTrue(forecasts.get(10).warmingUp());
            assertFalse(forecasts.get(399).warmingUp());
            assertTrue(
                    forecasts.get(300).anomalyScore()
                            >= TestPipelines.stateful().anomaly().threshold(),
                    "spike scores above the alert threshold");
        }
    }
}
