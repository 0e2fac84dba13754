package io.seqcast.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The champion/challenger rules: every series, or the aggregate with a per-series tolerance. */
class JudgeTest {

    static Judge.Pair pair(String series, double champion, double challenger) {
        return new Judge.Pair(series, new HeldOutScore(champion, 1, 10), new HeldOutScore(challenger, 1, 10));
    }

    @Test
    void shouldRequireEverySeriesBetterUnderRuleEvery() {
        Judge every = new Judge(Judge.Rule.EVERY, 0.5);
        assertNull(every.refusal(List.of(pair("a", 1, 0.9), pair("b", 2, 1.9))));
        assertTrue(
                every.refusal(List.of(pair("a", 1, 0.5), pair("b", 2, 2.0))).startsWith("not better on 1 of 2"),
                "a tie goes to the champion");
        assertTrue(every.refusal(List.of(pair("a", 1, Double.NaN))).startsWith("not better"));
        assertEquals("no series long enough to judge", every.refusal(List.of()));
    }

    @Test
    void shouldAcceptALowerMeanWithinTheToleranceUnderRuleAggregate() {
        Judge aggregate = new Judge(Judge.Rule.AGGREGATE, 0.05);
        assertNull(aggregate.refusal(List.of(pair("a", 1, 0.5), pair("b", 1, 1.04))));
        assertEquals("within-tolerance", aggregate.verdict(pair("b", 1, 1.04)));
        assertTrue(aggregate
                .refusal(List.of(pair("a", 1, 0.5), pair("b", 1, 1.06)))
                .startsWith("more than 5% worse on 1 of 2 series (b)"));
        assertTrue(aggregate
                .refusal(List.of(pair("a", 1, 1.0), pair("b", 1, 1.0)))
                .startsWith("mean MASE 1.0000 is not below"));
    }
}
