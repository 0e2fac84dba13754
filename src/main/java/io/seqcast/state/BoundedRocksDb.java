package io.seqcast.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB state store of this JVM together, as the Kafka Streams memory
 * management guide recommends: one block cache shared by all stores, index and filter blocks cached in it (instead of
 * held per open file), and the memtables of all stores charged to it through one {@link WriteBufferManager}. Without
 * it each store (one per partition) takes Kafka Streams' defaults, 50 MiB of block cache and up to three 16 MiB
 * memtables, and index and filter blocks grow with the data: resident memory then grows with partitions and series.
 *
 * <p>The budget is the engine's {@code state.memory.bytes}, of which memtables take at most half. The cache is per JVM (the first engine's budget wins) and never closed, since stores of other engines in
 * the same JVM may share it.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** The Streams config key carrying the budget in bytes (set by the engine from {@code state.memory.bytes}). */
    public static final String CONFIG = "seqcast.state.memory.bytes";
    /** Budget when the Streams config lacks {@link #CONFIG} (a topology test driver): the engine's default. */
    public static final long DEFAULT_BYTES = 64L << 20;
    /** Share of the budget the memtables may take. */
    static final double WRITE_BUFFER_SHARE = 0.5;
    /** Share of the cache kept for index and filter blocks (high priority, evicted last). */
    static final double INDEX_FILTER_SHARE = 0.1;
    /** Size of one memtable: small enough that a few stores' memtables fit the budget. */
    static final long MEMTABLE_BYTES = 8L << 20;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;
    private static long budget;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(CONFIG);
        long bytes = configured == null ? DEFAULT_BYTES : Long.parseLong(configured.toString());
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared(bytes));
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(writeBuffers);
        options.setWriteBufferSize(Math.min(MEMTABLE_BYTES, (long) (bytes * WRITE_BUFFER_SHARE / 2)));
        options.setMaxWriteBufferNumber(2);
    }

    private static synchronized Cache shared(long bytes) {
        if (cache == null) {
            budget = bytes;
            cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
            writeBuffers = new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache);
        }
        return cache;
    }

    /** Bytes the shared cache holds now (blocks, index and filters, and memtables charged to it); 0 before any store. */
    public static synchronized long usage() {
        return cache == null ? 0 : cache.getUsage();
    }

    /** The budget the shared cache was created with; 0 before any store. */
    public static synchronized long budget() {
        return budget;
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store of the JVM: never closed with one
    }
}
