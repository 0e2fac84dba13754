package io.seqcast.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Beat-by-beat matching and per-class figures on a hand-made case. */
class BeatMatchingTest {

    private static EcgRecord.Annotation ref(long sample, AamiClass c) {
        return new EcgRecord.Annotation(sample, c.name(), c);
    }

    private static BeatMatching.Detection det(long sample, AamiClass c) {
        return new BeatMatching.Detection(sample, c.ordinal());
    }

    @Test
    void shouldMatchWithinTheWindowNearestFirstAndCountMissesAndFalseBeats() {
        // tolerance 54 samples (150 ms at 360 Hz)
        List<EcgRecord.Annotation> reference = List.of(
                ref(1000, AamiClass.N), // matched by 1010 (N)
                ref(1300, AamiClass.V), // matched by 1350 (given N): 54 away would still match, 55 not
                ref(1600, AamiClass.N), // missed: nearest detection 1655 is 55 away
                ref(2000, AamiClass.S), // two candidates: 1990 (S) nearer than 2040 (N); 2040 is then a false beat
                ref(9000, AamiClass.V)); // outside [from, to): left out
        List<BeatMatching.Detection> detections = List.of(
                det(1010, AamiClass.N),
                det(1350, AamiClass.N),
                det(1655, AamiClass.N),
                det(1990, AamiClass.S),
                det(2040, AamiClass.N),
                det(9001, AamiClass.V));
        BeatMatching.Counts c = BeatMatching.match(reference, detections, 54, 0, 5000);
        assertEquals(4, c.reference());
        assertEquals(3, c.matched());
        assertEquals(5, c.detected());
        assertEquals(0.75, c.sensitivity(), 1e-12);
        assertEquals(0.6, c.ppv(), 1e-12);
        assertArrayEquals(new long[] {1, 0, 0, 0, 0}, c.confusion()[AamiClass.N.ordinal()]);
        assertArrayEquals(new long[] {0, 1, 0, 0, 0}, c.confusion()[AamiClass.S.ordinal()]);
        assertArrayEquals(new long[] {1, 0, 0, 0, 0}, c.confusion()[AamiClass.V.ordinal()]);

        var scores = BeatScores.of(c.confusion());
        assertEquals(0.0, scores.get("V").sensitivity(), 1e-12); // the V beat was called N
        assertEquals(Double.NaN, scores.get("V").ppv()); // nothing was called V
        assertEquals(0.5, scores.get("N").ppv(), 1e-12); // of 2 beats called N, 1 was N
        assertEquals(1.0, scores.get("normal").sensitivity(), 1e-12);
        assertEquals(0.5, scores.get("abnormal").sensitivity(), 1e-12); // S found, V missed
        assertEquals(1.0, scores.get("abnormal").ppv(), 1e-12);
        assertEquals(2.0 * 0.5 * 1.0 / 1.5, scores.get("abnormal").f1(), 1e-12);
        assertEquals(2, scores.get("abnormal").support());
    }

    @Test
    void shouldLeaveFlutterEpisodesOutOfTheComparison() {
        List<EcgRecord.Annotation> reference = List.of(ref(1000, AamiClass.N), ref(3000, AamiClass.N));
        List<BeatMatching.Detection> detections =
                List.of(det(1000, AamiClass.N), det(2000, AamiClass.N), det(2100, AamiClass.N), det(3000, AamiClass.N));
        BeatMatching.Counts c =
                BeatMatching.match(reference, detections, 54, 0, 5000, List.of(new long[] {1900, 2500}));
        assertEquals(2, c.matched());
        assertEquals(2, c.detected());
    }
}
