package io.seqcast.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ForecastWriter} writes Jackson's bytes ({@link EventJson#encodeByJackson}) for every forecast. */
class ForecastWriterTest {

    private static final String[] NAMES = {
        "s",
        "",
        "machine-17/cpu",
        "naïve",
        "日本",
        "a\"b",
        "back\\slash",
        "tab\there",
        "nl\n",
        "\u0000",
        "del\u007f",
        "emoji\uD83D\uDE00",
        "lone\uD800",
        "~ !#$%&'()*+,-./:;<=>?@[]^_`{|}"
    };

    @Test
    void shouldWriteTheBytesJacksonWrites() {
        Random r = new Random(42);
        ForecastWriter writer = new ForecastWriter();
        int fellBack = 0;
        for (int i = 0; i < 20_000; i++) {
            Forecast f = forecast(r);
            byte[] expected = EventJson.encodeByJackson(f);
            byte[] actual = writer.write(f);
            assertArrayEquals(expected, actual, () -> new String(expected, StandardCharsets.UTF_8));
            if (!plain(f)) {
                fellBack++;
            }
        }
        // the random forecasts exercise both the writer's own path and its fall-back to Jackson
        assertTrue(fellBack > 1000 && fellBack < 19_000, "forecasts written by Jackson: " + fellBack);
    }

    @Test
    void shouldWriteALongForecastPastItsFirstBuffer() {
        List<ForecastStep> steps = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            steps.add(new ForecastStep(i, 1_700_000_000_000L + i * 60_000L, Math.PI * i, -1e-300 * i, 1e300 / i));
        }
        Forecast f = new Forecast(
                "x".repeat(3000), "p", 1L, 0.1, steps.get(0), 0.5, true, new ModelRef("m", "1"), 0.9, steps);
        assertArrayEquals(EventJson.encodeByJackson(f), new ForecastWriter().write(f));
        assertArrayEquals(EventJson.encodeByJackson(f), EventJson.encode(f));
    }

    private static boolean plain(Forecast f) {
        List<Double> numbers = new ArrayList<>(List.of(f.observed(), f.anomalyScore(), f.coverage()));
        List<ForecastStep> steps = new ArrayList<>(f.steps());
        if (f.expected() != null) {
            steps.add(f.expected());
        }
        for (ForecastStep s : steps) {
            numbers.addAll(List.of(s.value(), s.lower(), s.upper()));
        }
        return numbers.stream().allMatch(Double::isFinite)
                && List.of(f.series(), f.pipeline(), f.model().name(), f.model().version()).stream()
                        .allMatch(s -> s.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '"' && c != '\\'));
    }

    private static Forecast forecast(Random r) {
        List<ForecastStep> steps = new ArrayList<>();
        int horizon = r.nextInt(8);
        for (int i = 1; i <= horizon; i++) {
            steps.add(step(r, i));
        }
        return new Forecast(
                name(r),
                name(r),
                time(r),
                number(r),
                r.nextInt(4) == 0 ? null : step(r, 0),
                number(r),
                r.nextBoolean(),
                new ModelRef(name(r), name(r)),
                number(r),
                steps);
    }

    private static ForecastStep step(Random r, int step) {
        return new ForecastStep(r.nextInt(20) == 0 ? r.nextInt() : step, time(r), number(r), number(r), number(r));
    }

    /** Mostly plain names, some that Jackson escapes or writes in several bytes a character. */
    private static String name(Random r) {
        return r.nextInt(30) == 0 ? NAMES[r.nextInt(NAMES.length)] : "series-" + r.nextInt(100_000);
    }

    /** Times of the years TimeText writes itself, with and without milliseconds, and outside them. */
    private static long time(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> r.nextLong();
            case 1 -> r.nextInt(1000) * 1000L + 1_700_000_000_000L;
            case 2 -> -62_135_596_800_000L - r.nextInt(1000); // just before year 1
            case 3 -> 253_402_300_799_999L + r.nextInt(1000) - 500; // around the end of year 9999
            default -> 1_000_000_000_000L + (long) (r.nextDouble() * 1_000_000_000_000L);
        };
    }

    /** Forecast-like values, any double's bits, the edges, and now and then one that is not finite. */
    private static double number(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> Double.longBitsToDouble(r.nextLong());
            case 1 ->
                new double[] {
                            0.0,
                            -0.0,
                            Double.MIN_VALUE,
                            Double.MAX_VALUE,
                            Double.MIN_NORMAL,
                            1e7,
                            1e-3,
                            9.999999999999999e6,
                            0.001,
                            1e-4,
                            1e22,
                            1e23,
                            2e-323
                        }
                        [r.nextInt(13)];
            case 2 ->
                r.nextInt(200) == 0
                        ? new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}[r.nextInt(3)]
                        : r.nextInt(1000) / 8.0;
            case 3 -> (float) (r.nextGaussian() * 100);
            default -> 50 + 10 * r.nextGaussian();
        };
    }
}
