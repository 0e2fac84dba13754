package io.seqcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqcast.bench.EngineBench.Persistence;
import io.seqcast.kernel.Kernels;
import io.seqcast.model.CellType;
import io.seqcast.model.SequenceModel;
import io.seqcast.state.SeriesState;
import io.seqcast.training.NetworkSpec;
import io.seqcast.training.Networks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounds of what persisting the series' states costs: {@code seqcast bench --variants
 * engine-unlogged,engine-no-persist}.
 */
class PersistenceBoundsTest {

    @TempDir
    Path work;

    @Test
    void everyPersistenceShouldForecastEveryObservationAndOnlyTheDeclaredOneShouldKeepAChangelogAndRocksDb()
            throws Exception {
        SequenceModel kernel =
                Kernels.best(Networks.build(NetworkSpec.of(CellType.LSTM, List.of(8), 1, 6, 1)), "m", "1");
        EngineBench.Load load = new EngineBench.Load(20, 60, 1, "exactly_once_v2", 100);
        try (BenchBroker broker = BenchBroker.start(false, 1, "");
                Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            EngineBench bench = new EngineBench(broker.bootstrapServers(), work);
            for (Persistence persistence : Persistence.values()) {
                Set<String> changelogsBefore = changelogs(admin);
                long rocksDbBefore = rocksDbDirectories(work);
                EngineBench.Run run = bench.throughput(persistence.name(), kernel, load, true, persistence);
                assertEquals(load.observations(), run.forecasts(), persistence + ": forecasts read back");
                Set<String> changelogsNew = changelogs(admin);
                changelogsNew.removeAll(changelogsBefore);
                long rocksDbNew = rocksDbDirectories(work) - rocksDbBefore;
                boolean declared = persistence == Persistence.DECLARED;
                assertEquals(declared ? 1 : 0, changelogsNew.size(), persistence + ": new changelogs " + changelogsNew);
                assertEquals(
                        persistence != Persistence.HEAP_ONLY,
                        rocksDbNew > 0,
                        persistence + ": " + rocksDbNew + " new RocksDB directories");
            }
        }
    }

    @Test
    void heapStoreShouldHandBackTheObjectsPutAndLetTheCallerDeleteWhileScanning() {
        HeapSeriesStore store = new HeapSeriesStore("s");
        SeriesState a = new SeriesState();
        SeriesState b = new SeriesState();
        store.put("a", a);
        store.put("b", b);
        assertTrue(store.get("a") == a, "the same object, not a decoded copy");
        Set<String> seen = new HashSet<>();
        try (var all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, SeriesState> e = all.next();
                seen.add(e.key);
                store.delete(e.key);
            }
        }
        assertEquals(Set.of("a", "b"), seen);
        assertEquals(0, store.approximateNumEntries());
        assertThrows(UnsupportedOperationException.class, () -> store.range("a", "b"));
    }

    private static Set<String> changelogs(Admin admin) throws Exception {
        Set<String> names = new HashSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        names.removeIf(n -> !n.endsWith("-changelog"));
        return names;
    }

    private static long rocksDbDirectories(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            return paths.filter(p ->
                            Files.isDirectory(p) && p.getFileName().toString().equals("rocksdb"))
                    .count();
        }
    }
}
