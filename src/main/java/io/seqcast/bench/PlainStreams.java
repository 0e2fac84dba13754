package io.seqcast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The yardstick a user would write instead of seqcast: a plain Kafka Streams application, no seqcast code on the
 * record path, doing the engine's I/O per record. It parses the observation's JSON (Jackson tree), reads the key's
 * {@link #VALUE_BYTES} value from a changelogged RocksDB store, changes it, writes it back, and sends a JSON value
 * (series, time, observed and six forecast steps, each with bounds: about the engine's forecast size).
 *
 * <p>Default settings throughout: exactly-once v2 (as the engine's runs), one stream thread, the store as
 * {@link Stores#keyValueStoreBuilder} builds it (logged, not cached), RocksDB's own configuration, Streams' commit
 * interval for exactly-once (100 ms).
 */
public final class PlainStreams {

    /** Bytes of state per key: seqcast's LSTM 2x64 state is about 1.1 KiB. */
    public static final int VALUE_BYTES = 1024;

    private PlainStreams() {}

    /** The topology: source, one processor with its store, one sink. */
    public static Topology topology(String input, String output, boolean cached) {
        Topology t = new Topology();
        t.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        t.addProcessor("step", Step::new, "in");
        var store = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore("state"), Serdes.String(), Serdes.ByteArray());
        t.addStateStore(cached ? store.withCachingEnabled() : store, "step");
        t.addSink("out", output, new StringSerializer(), new ByteArraySerializer(), "step");
        return t;
    }

    /**
     * Starts the application; the caller closes it.
     *
     * @param cacheBytes 0: defaults; otherwise the store cached ({@code withCachingEnabled()}) with a record cache of
     *     this size ({@code statestore.cache.max.bytes})
     */
    public static KafkaStreams start(
            String bootstrap,
            String applicationId,
            Path stateDir,
            String guarantee,
            String input,
            String output,
            long cacheBytes) {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        if (cacheBytes > 0) {
            p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheBytes);
        }
        KafkaStreams streams = new KafkaStreams(topology(input, output, cacheBytes > 0), p);
        streams.start();
        return streams;
    }

    /** Per record: JSON in, state read and written, JSON out. */
    static final class Step implements Processor<byte[], byte[], String, byte[]> {

        private static final ObjectMapper JSON = new ObjectMapper();
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore("state");
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            try {
                JsonNode in = JSON.readTree(record.value());
                String series = in.get("series").asText();
                double value = in.get("value").asDouble();
                byte[] state = store.get(series);
                if (state == null) {
                    state = new byte[VALUE_BYTES];
                }
                ByteBuffer b = ByteBuffer.wrap(state);
                long count = b.getLong(0) + 1;
                double mean = b.getDouble(8) + (value - b.getDouble(8)) / count;
                b.putLong(0, count).putDouble(8, mean).putDouble(16 + (int) (count % 100) * 8, value);
                store.put(series, state);
                ObjectNode out = JSON.createObjectNode();
                out.put("type", "forecast")
                        .put("series", series)
                        .put("time", in.get("time").asText())
                        .put("observed", value)
                        .put("expected", mean);
                var steps = out.putArray("steps");
                for (int h = 1; h <= 6; h++) {
                    steps.addObject()
                            .put("ahead", h)
                            .put("mean", mean)
                            .put("lower", mean - h)
                            .put("upper", mean + h);
                }
                context.forward(record.withKey(series).withValue(JSON.writeValueAsBytes(out)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
