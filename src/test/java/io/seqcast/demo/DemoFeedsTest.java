package io.seqcast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.config.PipelineConfig;
import io.seqcast.config.PipelineFiles;
import io.seqcast.replay.Replayer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoFeedsTest {

    @Test
    void everyBundledPipelineGetsAFeedOnItsInputTopic() throws Exception {
        List<PipelineConfig> pipelines = PipelineFiles.load(Path.of("topology"));
        List<Replayer.Feed> feeds = DemoFeeds.load(Path.of("."), pipelines);

        Map<String, Long> perTopic =
                feeds.stream().collect(Collectors.groupingBy(Replayer.Feed::topic, Collectors.counting()));
        for (PipelineConfig p : pipelines) {
            assertTrue(
                    perTopic.containsKey(p.input().topic()),
                    p.name() + " has no demo feed on " + p.input().topic());
        }
        Replayer.Feed signal = feeds.stream()
                .filter(f -> f.series().name().equals("mitdb_100_lead1"))
                .findFirst()
                .orElseThrow();
        assertEquals(120 * 90, signal.series().size());
        assertEquals(1, signal.series().values()[0].length);
    }
}
