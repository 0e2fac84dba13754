package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** seqcast trainer refuses, before touching Kafka, what it cannot retrain, naming the file, key and fix. */
class TrainerCommandTest {

    @Test
    void shouldRefuseAWindowedPipeline() {
        var r = SeqcastCommandTest.run(
                "trainer",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--pipelines",
                "topology",
                "--pipeline",
                "stocks",
                "--every",
                "PT1H");
        assertEquals(SeqcastCommand.CONFIG_ERROR, r.exit(), r.err());
        assertTrue(r.err().contains("topology/stocks.yaml: mode: the continual trainer retrains stateful"), r.err());
    }

    @Test
    void shouldRefuseToRunWithoutATrigger() {
        var r = SeqcastCommandTest.run(
                "trainer", "--bootstrap-servers", "127.0.0.1:1", "--pipelines", "topology", "--pipeline", "machines");
        assertEquals(SeqcastCommand.CONFIG_ERROR, r.exit(), r.err());
        assertTrue(r.err().contains("no trigger: neither --every, --drift-factor nor --once"), r.err());
        assertTrue(r.err().contains("Fix: add --every PT1H"), r.err());
    }

    @Test
    void shouldRefuseAnUnknownPipelineNamingTheKnownOnes() {
        var r = SeqcastCommandTest.run(
                "trainer",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--pipelines",
                "topology",
                "--pipeline",
                "nope",
                "--once");
        assertEquals(SeqcastCommand.CONFIG_ERROR, r.exit(), r.err());
        assertTrue(r.err().contains("no pipeline 'nope'") && r.err().contains("machines"), r.err());
    }
}
