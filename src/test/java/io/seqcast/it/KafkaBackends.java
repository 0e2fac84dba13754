package io.seqcast.it;

import io.seqcast.broker.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.testcontainers.DockerClientFactory;

/**
 * Which {@link KafkaBackend}s this machine can run, and helpers shared by them.
 *
 * <pre>{@code
 * Optional<String> reason = KafkaBackends.dockerUnavailableReason();
 * Assumptions.assumeTrue(reason.isEmpty(), () -> "Docker not available: " + reason.orElseThrow()
 *         + "; the same suite ran against the embedded broker");
 * }</pre>
 */
public final class KafkaBackends {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private static Optional<String> dockerUnavailableReason;

    private KafkaBackends() {}

    /**
     * Why Docker cannot be used here, or empty when it can. Asked once per JVM (Testcontainers caches its answer
     * too), so calling it from every test class costs nothing after the first.
     */
    public static synchronized Optional<String> dockerUnavailableReason() {
        if (dockerUnavailableReason == null) {
            dockerUnavailableReason = probeDocker();
        }
        return dockerUnavailableReason;
    }

    private static Optional<String> probeDocker() {
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
            return Optional.of("Testcontainers found no working Docker environment (" + dockerEnvironment() + ")");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("the Testcontainers Docker check failed: " + e + " (" + dockerEnvironment() + ")");
        }
    }

    private static String dockerEnvironment() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return "DOCKER_HOST=" + dockerHost;
        }
        Path socket = Path.of("/var/run/docker.sock");
        return "DOCKER_HOST unset, " + socket + (Files.exists(socket) ? " exists but no daemon answered" : " missing");
    }

    /** Creates the topics through an Admin client with these connection settings; see {@link KafkaBackend}. */
    static void createTopics(Map<String, Object> connectionProperties, Collection<TopicSpec> topics) {
        List<NewTopic> newTopics = topics.stream()
                .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()))
                .toList();
        Map<String, Object> props = new HashMap<>(connectionProperties);
        try (Admin admin = Admin.create(props)) {
            for (Map.Entry<String, ? extends Future<Void>> result :
                    admin.createTopics(newTopics).values().entrySet()) {
                try {
                    result.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "Could not create topic '" + result.getKey() + "': "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topics, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + ADMIN_TIMEOUT + " creating topics " + topics, e);
        }
    }
}
