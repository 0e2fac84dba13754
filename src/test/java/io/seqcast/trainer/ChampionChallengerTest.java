package io.seqcast.trainer;

import static io.seqcast.trainer.TrainerFixtures.HORIZON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.model.ModelArtifact;
import io.seqcast.trainer.RecentWindows.SeriesWindow;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A challenger is published only when it beats the serving model on the held-back end of every judged series; the
 * decision carries both scores and the data window.
 */
class ChampionChallengerTest {

    static final int LENGTH = 300;
    static final int HOLDOUT = 60;

    static final ChampionChallenger.Settings settings =
            new ChampionChallenger.Settings(HORIZON, HOLDOUT, 200, new Judge(Judge.Rule.EVERY, 0));
    static final List<SeriesWindow> windows = TrainerFixtures.windows(3, LENGTH);
    /** One training run (a few seconds) shared by the tests. */
    static ChampionChallenger.Outcome trained;

    @BeforeAll
    static void trainOnce() {
        trained = new ChampionChallenger(settings, TrainerFixtures.quickTraining(3))
                .run("cycle", "once", windows, TrainerFixtures.untrained("1", 1), "2");
    }

    @Test
    void shouldPublishAChallengerTrainedOnRecentDataThatBeatsAnUntrainedChampion() {
        var outcome = trained;
        TrainerDecision d = outcome.decision();
        assertEquals(TrainerDecision.PUBLISHED, d.outcome(), d.summary());
        assertNotNull(outcome.challenger());
        assertEquals("2", outcome.challenger().metadata().version());
        assertEquals(
                d.challengerScore(),
                outcome.challenger().metadata().validationMetrics().get("trainer_challenger_mase"),
                1e-12,
                "the published artifact carries its evidence");
        String fingerprint = outcome.challenger().metadata().trainingDataFingerprint();
        assertTrue(fingerprint.endsWith("; replaced " + d.champion() + " (" + d.rule() + ")"), fingerprint);
        assertTrue(d.challengerScore() < d.championScore());
        assertEquals(3, d.judged());
        assertEquals(3L * (LENGTH - HOLDOUT), d.trainingObservations());
        assertEquals(3L * HOLDOUT, d.heldBackObservations());
        for (TrainerDecision.SeriesJudgement s : d.series()) {
            assertEquals("better", s.verdict(), s.series());
            assertEquals(LENGTH - HOLDOUT, s.trained());
            assertEquals(HOLDOUT, s.heldBack());
            assertEquals(
                    io.seqcast.event.TimeText.format(TrainerFixtures.T0 + (LENGTH - HOLDOUT) * TrainerFixtures.STEP),
                    s.heldFrom());
        }
        TrainerDecision back = TrainerDecision.fromJson(d.toJson());
        assertEquals(d, back, "the registry record reads back");
    }

    @Test
    void shouldRefuseABrokenChallengerAndKeepTheChampion() {
        ModelArtifact champion = trained.challenger();
        assertNotNull(champion);
        ModelArtifact broken = TrainerFixtures.broken("3");
        var outcome = new ChampionChallenger(settings, (c, series, version, fingerprint) -> broken)
                .run("cycle", "drift", windows, champion, "3");
        TrainerDecision d = outcome.decision();
        assertEquals(TrainerDecision.REFUSED, d.outcome(), d.summary());
        assertNull(outcome.challenger());
        assertTrue(d.challengerScore() > d.championScore(), d.summary());
        assertTrue(d.reason().startsWith("not better on 3 of 3 series"), d.reason());
        assertTrue(d.series().stream().allMatch(s -> s.verdict().equals("worse")));
        assertEquals("cycle 2", d.champion());
    }

    @Test
    void shouldTrainOnlyOnWhatIsNotHeldBack() {
        int[] lengths = new int[3];
        new ChampionChallenger(settings, (champion, series, version, fingerprint) -> {
                    lengths[0] = series.get(0).length;
                    lengths[1] = series.get(1).length;
                    lengths[2] = series.size();
                    return TrainerFixtures.untrained(version, 5);
                })
                .run("cycle", "once", windows, TrainerFixtures.untrained("1", 1), "2");
        assertEquals(LENGTH - HOLDOUT, lengths[0]);
        assertEquals(LENGTH - HOLDOUT, lengths[1]);
        assertEquals(3, lengths[2]);
    }

    @Test
    void shouldRecordAFailureWhenNoChallengerCanBeTrained() {
        var outcome = new ChampionChallenger(settings, (champion, series, version, fingerprint) -> {
                    throw new IllegalStateException("loss is NaN");
                })
                .run("cycle", "schedule", TrainerFixtures.windows(2, LENGTH), TrainerFixtures.untrained("1", 1), "2");
        assertEquals(TrainerDecision.FAILED, outcome.decision().outcome());
        assertTrue(outcome.decision().reason().contains("loss is NaN"));
        assertNull(outcome.challenger());
    }

    @Test
    void shouldJudgeNothingWhenEverySeriesIsTooShort() {
        var outcome = new ChampionChallenger(settings, TrainerFixtures.quickTraining(1))
                .run("cycle", "once", TrainerFixtures.windows(2, 250), TrainerFixtures.untrained("1", 1), "2");
        assertEquals(TrainerDecision.REFUSED, outcome.decision().outcome());
        assertEquals(0, outcome.decision().judged());
        assertTrue(outcome.decision().reason().startsWith("no series has 260 observations"));
    }
}
