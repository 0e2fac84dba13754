package io.seqcast.training;

import io.seqcast.classify.EcgRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Noise-stressed copies of an ECG record for training, in the spirit of the MIT-BIH Noise Stress Test (which adds
 * recorded baseline wander, muscle artefact and electrode motion to clean records at set signal-to-noise ratios;
 * those noise recordings are not used here). In random stretches of {@value #MIN_STRETCH_S} to
 * {@value #MAX_STRETCH_S} s covering about a third of the record, both leads get an independent mix of three
 * synthetic noises: baseline wander (three sinusoids of 0.05 to 0.8 Hz), muscle-like noise (Gaussian noise
 * band-limited to about 5 to 40 Hz) and electrode-motion-like bursts (0.2 to 1.5 s of Gaussian noise band-limited to
 * about 1 to 15 Hz, under a Hann window), their shares of the noise power drawn per stretch. Each stretch's noise is
 * scaled to a signal-to-noise ratio drawn uniformly (in dB) from {@code [minSnrDb, maxSnrDb]}, defined as the
 * Noise Stress Test defines it: {@code 10 log10(S / N)}, with S = a&#178;/8 for a the lead's median peak-to-peak QRS
 * amplitude (within {@value #QRS_HALF_S} s of each reference beat) and N the mean square of the added noise over the
 * stretch (its first and last {@value #FADE_S} s faded in and out). Deterministic for a given seed.
 */
public final class NoiseStress {

    static final double MIN_STRETCH_S = 10;
    static final double MAX_STRETCH_S = 60;
    /** Clean gaps between stretches, uniform in this range: stretches cover about a third of the record. */
    static final double MIN_GAP_S = 20;

    static final double MAX_GAP_S = 120;
    static final double QRS_HALF_S = 0.06;
    static final double FADE_S = 0.5;

    private final double minSnrDb;
    private final double maxSnrDb;

    /** A noise-stressed copy: the record with noise added, and the noisy stretches as sample ranges {@code [from, to)}. */
    public record Stressed(EcgRecord record, List<int[]> stretches) {

        /** Whether sample {@code i} lies in a noisy stretch. */
        public boolean noisy(long i) {
            for (int[] s : stretches) {
                if (i >= s[0] && i < s[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    public NoiseStress(double minSnrDb, double maxSnrDb) {
        if (!(minSnrDb <= maxSnrDb)) {
            throw new IllegalArgumentException(
                    "noise SNR range: " + minSnrDb + " to " + maxSnrDb + " dB; the first must not exceed the second");
        }
        this.minSnrDb = minSnrDb;
        this.maxSnrDb = maxSnrDb;
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "baseline wander, muscle-like noise and electrode-motion-like bursts at %s to %s dB SNR against the"
                        + " QRS amplitude, in stretches of %.0f to %.0f s over about a third of the record",
                minSnrDb,
                maxSnrDb,
                MIN_STRETCH_S,
                MAX_STRETCH_S);
    }

    /** Copy number {@code copy} (counted from 0) of {@code r} with noise added; the same seed, record and copy give the same noise. */
    public Stressed stress(EcgRecord r, long seed, int copy) {
        Random random = new Random(seed * 1_000_003L + r.name().hashCode() * 31L + copy);
        double rate = r.rate();
        float[] lead1 = r.lead1().clone();
        float[] lead2 = r.lead2().clone();
        double power1 = qrsPower(r, r.lead1());
        double power2 = qrsPower(r, r.lead2());
        List<int[]> stretches = new ArrayList<>();
        int at = (int) (uniform(random, 0, MAX_GAP_S) * rate);
        while (at < r.size()) {
            int to = Math.min(r.size(), at + (int) (uniform(random, MIN_STRETCH_S, MAX_STRETCH_S) * rate));
            if (to - at >= (int) (2 * FADE_S * rate) + 1) {
                double snr = uniform(random, minSnrDb, maxSnrDb);
                double[] shares = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
                add(lead1, at, to, noise(random, to - at, rate, shares), power1 / Math.pow(10, snr / 10), rate);
                add(lead2, at, to, noise(random, to - at, rate, shares), power2 / Math.pow(10, snr / 10), rate);
                stretches.add(new int[] {at, to});
            }
            at = to + (int) (uniform(random, MIN_GAP_S, MAX_GAP_S) * rate);
        }
        EcgRecord stressed = new EcgRecord(r.name(), rate, lead1, lead2, r.beats(), r.flutter());
        return new Stressed(stressed, List.copyOf(stretches));
    }

    /** S of the signal-to-noise ratio: a&#178;/8 for a the median peak-to-peak amplitude around the reference beats. */
    static double qrsPower(EcgRecord r, float[] lead) {
        if (r.beats().isEmpty()) {
            throw new IllegalArgumentException(
                    r.name() + " has no reference beats: the noise's level is set against its QRS amplitude");
        }
        int half = (int) Math.round(QRS_HALF_S * r.rate());
        double[] amplitudes = new double[r.beats().size()];
        for (int k = 0; k < amplitudes.length; k++) {
            int at = (int) r.beats().get(k).sample();
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = Math.max(0, at - half); i <= Math.min(lead.length - 1, at + half); i++) {
                min = Math.min(min, lead[i]);
                max = Math.max(max, lead[i]);
            }
            amplitudes[k] = max >= min ? max - min : 0;
        }
        Arrays.sort(amplitudes);
        double a = amplitudes[amplitudes.length / 2];
        return a * a / 8;
    }

    /** Adds {@code noise} to {@code lead[from, to)}, faded in and out and scaled to mean square {@code power}. */
    private static void add(float[] lead, int from, int to, double[] noise, double power, double rate) {
        int n = to - from;
        int fade = Math.max(1, Math.min(n / 2, (int) Math.round(FADE_S * rate)));
        double square = 0;
        for (int i = 0; i < n; i++) {
            double e = i < fade ? 0.5 - 0.5 * Math.cos(Math.PI * i / fade) : 1;
            e *= n - 1 - i < fade ? 0.5 - 0.5 * Math.cos(Math.PI * (n - 1 - i) / fade) : 1;
            noise[i] *= e;
            square += noise[i] * noise[i];
        }
        double scale = square > 0 ? Math.sqrt(power * n / square) : 0;
        for (int i = 0; i < n; i++) {
            lead[from + i] += (float) (noise[i] * scale);
        }
    }

    /** Baseline wander, muscle-like noise and electrode-motion-like bursts, each of unit power, mixed by {@code shares}. */
    static double[] noise(Random random, int n, double rate, double[] shares) {
        double[] wander = new double[n];
        for (int k = 0; k < 3; k++) {
            double f = uniform(random, 0.05, 0.8);
            double phase = uniform(random, 0, 2 * Math.PI);
            double amplitude = uniform(random, 0.3, 1);
            for (int i = 0; i < n; i++) {
                wander[i] += amplitude * Math.sin(2 * Math.PI * f * i / rate + phase);
            }
        }
        double[] muscle = bandLimited(random, n, rate, 5, 40);
        double[] motion = new double[n];
        int at = (int) (uniform(random, 0, 3) * rate);
        while (at < n) {
            int length = (int) (uniform(random, 0.2, 1.5) * rate);
            double[] burst = bandLimited(random, length, rate, 1, 15);
            for (int i = 0; i < length && at + i < n; i++) {
                motion[at + i] += burst[i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / length));
            }
            at += length + (int) (uniform(random, 0.5, 4) * rate);
        }
        double total = shares[0] + shares[1] + shares[2];
        double[] out = new double[n];
        double[][] parts = {wander, muscle, motion};
        for (int p = 0; p < 3; p++) {
            double rms = Math.sqrt(meanSquare(parts[p]));
            double weight = rms > 0 ? Math.sqrt(shares[p] / total) / rms : 0;
            for (int i = 0; i < n; i++) {
                out[i] += weight * parts[p][i];
            }
        }
        return out;
    }

    /** Gaussian noise through second-order high-pass ({@code low} Hz) and low-pass ({@code high} Hz) filters. */
    static double[] bandLimited(Random random, int n, double rate, double low, double high) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        double a = Math.exp(-2 * Math.PI * high / rate);
        double b = Math.exp(-2 * Math.PI * low / rate);
        for (int pass = 0; pass < 2; pass++) {
            double y = 0;
            for (int i = 0; i < n; i++) {
                y = a * y + (1 - a) * x[i];
                x[i] = y;
            }
            double previousIn = 0;
            double previousOut = 0;
            for (int i = 0; i < n; i++) {
                double out = b * (previousOut + x[i] - previousIn);
                previousIn = x[i];
                previousOut = out;
                x[i] = out;
            }
        }
        return x;
    }

    static double meanSquare(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return x.length == 0 ? 0 : s / x.length;
    }

    private static double uniform(Random random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }
}
