package io.seqcast.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The engine's HTTP endpoint: {@code /metrics} (Prometheus text format), {@code /health/live} (200 unless Kafka
 * Streams failed) and {@code /health/ready} (200 while Kafka Streams is running and nothing keeps it from making
 * progress; otherwise 503 with the reason in the body, {@code {"status":"RUNNING","reason":"..."}}). Serves on two daemon threads; other
 * packages add routes ({@link #route}), such as the live page.
 */
public final class HttpEndpoint implements AutoCloseable {

    private final HttpServer server;

    private HttpEndpoint(HttpServer server) {
        this.server = server;
    }

    public static HttpEndpoint start(
            String bindAddress, int port, PrometheusMeterRegistry registry, Supplier<KafkaStreams.State> state)
            throws IOException {
        return start(bindAddress, port, registry, state, () -> null);
    }

    /**
     * @param notReady why the instance cannot make progress, or null: {@code /health/ready} answers 503 with it
     */
    public static HttpEndpoint start(
            String bindAddress,
            int port,
            PrometheusMeterRegistry registry,
            Supplier<KafkaStreams.State> state,
            Supplier<String> notReady)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        server.createContext(
                "/metrics",
                exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", exchange -> {
            KafkaStreams.State s = state.get();
            boolean live = s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR;
            respond(exchange, live ? 200 : 503, "application/json", "{\"status\":\"" + s + "\"}");
        });
        server.createContext("/health/ready", exchange -> {
            KafkaStreams.State s = state.get();
            String reason = notReady.get();
            if (reason == null && s != KafkaStreams.State.RUNNING) {
                reason = "Kafka Streams is " + s;
            }
            respond(
                    exchange,
                    reason == null ? 200 : 503,
                    "application/json",
                    reason == null
                            ? "{\"status\":\"" + s + "\"}"
                            : "{\"status\":\"" + s + "\",\"reason\":\""
                                    + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "seqcast-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new HttpEndpoint(server);
    }

    /**
     * Serves {@code path} and everything under it (unless a longer registered path matches) with {@code handler};
     * {@code "/"} catches every path not otherwise served.
     */
    public void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Sends {@code body} with {@code status} and closes the exchange. */
    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code bytes} with {@code status} and closes the exchange. */
    public static void respond(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
