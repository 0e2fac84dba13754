package io.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.seqcast.broker.EmbeddedKafkaBroker;
import io.seqcast.broker.TopicSpec;
import io.seqcast.config.EngineConfig;
import io.seqcast.config.KafkaClientConfig;
import io.seqcast.errors.InvalidRecordException;
import io.seqcast.errors.Reason;
import io.seqcast.event.FieldMapping;
import io.seqcast.event.Observation;
import io.seqcast.event.ObservationParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's examples work as written: every {@code ./seqcast} command line it shows parses with the options it
 * uses (and its -D keys are settings that exist); the SASL_SSL properties file is a valid client configuration; the
 * kcat line's key and value are what the engine accepts; and Kafka's own console producer and consumer, run with the
 * README's arguments, write a keyed observation the engine accepts and read only committed outputs.
 */
@Timeout(240)
class ReadmeExamplesTest {

    static final String README = "README.md";
    static final String SECTION = "## Produce, consume, secure, scale";

    static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(TopicSpec.of("seqcast.demand", 2), TopicSpec.of("seqcast.alerts", 1));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Code blocks of the README, continuation lines joined. */
    static List<List<String>> codeBlocks(String text) {
        List<List<String>> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```\\w*\\n(.*?)^```", Pattern.DOTALL).matcher(text);
        while (m.find()) {
            blocks.add(List.of(m.group(1).replaceAll("\\s*\\\\\n\\s*", " ").split("\n")));
        }
        return blocks;
    }

    static String section(String readme) {
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README has no section '" + SECTION + "'");
        return readme.substring(start, readme.indexOf("\n## ", start + 1));
    }

    /** Splits a command line as a POSIX shell would for these examples: single and double quotes, no expansions. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    /** Every {@code ./seqcast ...} line of the README's code blocks (the command list's descriptions cut off). */
    static List<List<String>> seqcastCommands(String readme) {
        List<List<String>> commands = new ArrayList<>();
        for (List<String> block : codeBlocks(readme)) {
            for (String line : block) {
                if (line.startsWith("./seqcast ")) {
                    String command = line.split(" {2,}")[0].replace("[", "").replace("]", "");
                    List<String> w = words(command);
                    commands.add(w.subList(1, w.size()));
                }
            }
        }
        return commands;
    }

    @Test
    void shouldParseEveryDocumentedSeqcastCommandLine() throws IOException {
        String readme = Files.readString(Path.of(README));
        List<List<String>> commands = seqcastCommands(readme);
        assertTrue(commands.size() >= 20, "found only " + commands.size() + " ./seqcast lines");
        List<String> problems = new ArrayList<>();
        int clientCommands = 0;
        for (List<String> args : commands) {
            CommandLine cli = SeqcastCommand.commandLine();
            try {
                CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
                while (parsed.hasSubcommand()) {
                    parsed = parsed.subcommand();
                }
                Object command = parsed.commandSpec().userObject();
                if (command instanceof RunCommand run) {
                    checkEngineSettings(run.options.settings, args, problems);
                } else {
                    KafkaClientOptions kafka = clientOptions(parsed);
                    if (kafka != null) {
                        clientCommands++;
                        try {
                            KafkaClientConfig.resolve(Map.of(), null, kafka.clientSettings, "host:9092");
                        } catch (RuntimeException e) {
                            problems.add(String.join(" ", args) + ": " + e.getMessage());
                        }
                    }
                }
            } catch (CommandLine.ParameterException e) {
                problems.add("./seqcast " + String.join(" ", args) + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), problems, "README command lines that seqcast refuses");
        assertTrue(clientCommands >= 8, "Kafka client command lines checked: " + clientCommands);
        // the check can fail: an option that does not exist is refused
        assertThrows(
                CommandLine.ParameterException.class,
                () -> SeqcastCommand.commandLine()
                        .parseArgs("replay", "--producer-config", "x", "--topic", "t", "f.csv"));
    }

    private static KafkaClientOptions clientOptions(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult r = parsed;
                r != null;
                r = r.commandSpec().parent() == null
                        ? null
                        : r.commandSpec().parent().commandLine().getParseResult()) {
            for (var mixin : r.commandSpec().mixins().values()) {
                if (mixin.userObject() instanceof KafkaClientOptions k) {
                    return k;
                }
            }
        }
        return null;
    }

    private static void checkEngineSettings(Map<String, String> settings, List<String> args, List<String> problems) {
        Map<String, String> withCluster = new LinkedHashMap<>(settings);
        withCluster.put("bootstrap.servers", "host:9092");
        try {
            EngineConfig.from(Map.of("README", withCluster));
        } catch (RuntimeException e) {
            problems.add("./seqcast " + String.join(" ", args) + ": " + e.getMessage());
        }
    }

    @Test
    void shouldDocumentASaslSslPropertiesFileThatIsAValidClientConfiguration() throws IOException {
        String block = codeBlocks(section(Files.readString(Path.of(README)))).stream()
                .filter(b -> b.get(0).startsWith("# client.properties"))
                .map(b -> String.join("\n", b))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no client.properties block in " + SECTION));
        Path file = dir.resolve("client.properties");
        Files.writeString(file, block);
        Properties p = KafkaClientConfig.resolve(Map.of(), file, Map.of(), null).properties();
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertTrue(
                p.getProperty("sasl.jaas.config")
                        .startsWith("org.apache.kafka.common.security.scram" + ".ScramLoginModule required"),
                p.getProperty("sasl.jaas.config"));
        // and the JAAS line is one Kafka's client parses
        var jaas = org.apache.kafka.common.security.JaasContext.loadClientContext(Map.of(
                "sasl.jaas.config",
                new org.apache.kafka.common.config.types.Password(p.getProperty("sasl.jaas.config"))));
        assertEquals("seqcast", jaas.configurationEntries().get(0).getOptions().get("username"));
    }

    @Test
    void shouldProduceTheKcatExampleAsARecordTheEngineAccepts() throws Exception {
        List<String> block = codeBlocks(section(Files.readString(Path.of(README)))).stream()
                .filter(b -> b.get(0).startsWith("echo ") && b.get(0).contains("kcat -P"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no kcat producer example"));
        List<String> words = words(block.get(0));
        String line = words.get(1);
        String separator = words.get(words.indexOf("-K") + 1);
        String topic = words.get(words.indexOf("-t") + 1);
        int split = line.indexOf(separator);
        byte[] key = line.substring(0, split).getBytes(StandardCharsets.UTF_8);
        byte[] value = line.substring(split + separator.length()).getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
        ConsumerRecord<byte[], byte[]> r = readOne(topic, "nyc_taxi", new String(value, StandardCharsets.UTF_8));
        Observation o = new ObservationParser(FieldMapping.DEFAULT).parse(r.key(), r.value());
        assertEquals("nyc_taxi", o.series());
        // the key matters: the same value under another key is refused
        var e = assertThrows(
                InvalidRecordException.class,
                () -> new ObservationParser(FieldMapping.DEFAULT)
                        .parse("taxi".getBytes(StandardCharsets.UTF_8), value));
        assertEquals(Reason.KEY_MISMATCH, e.reason());
    }

    @Test
    void shouldRunKafkasConsoleProducerAsDocumentedWithTheSeriesAsKey() throws Exception {
        List<String> block = codeBlocks(section(Files.readString(Path.of(README)))).stream()
                .filter(b -> b.get(0).startsWith("bin/kafka-console-producer.sh"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no kafka-console-producer example"));
        List<String> args = words(block.get(0).replace("localhost:19092", broker.bootstrapServers()));
        String input = String.join("\n", block.subList(1, block.size())) + "\n";
        Process p = kafkaTool("org.apache.kafka.tools.ConsoleProducer", args.subList(1, args.size()));
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "console producer did not end");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String topic = args.get(args.indexOf("--topic") + 1);
        String documented = block.get(1).substring(block.get(1).indexOf('|') + 1);
        ConsumerRecord<byte[], byte[]> r = readOne(topic, "nyc_taxi", documented);
        Observation o = new ObservationParser(FieldMapping.DEFAULT).parse(r.key(), r.value());
        assertEquals("nyc_taxi", o.series());
        assertEquals(10567.0, o.values()[0]);
    }

    @Test
    void shouldRunKafkasConsoleConsumerAsDocumentedAndSeeOnlyCommittedOutputs() throws Exception {
        String line = codeBlocks(section(Files.readString(Path.of(README)))).stream()
                .flatMap(List::stream)
                .filter(l -> l.startsWith("bin/kafka-console-consumer.sh"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no kafka-console-consumer example"));
        List<String> args = new ArrayList<>(words(line.replace("localhost:19092", broker.bootstrapServers())));
        String topic = args.get(args.indexOf("--topic") + 1);
        assertEquals("read_committed", args.get(args.indexOf("--isolation-level") + 1));
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "readme-" + System.nanoTime());
        try (var producer = new KafkaProducer<>(tx, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("GOOGL"), bytes("{\"aborted\":true}")));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("GOOGL"), bytes("{\"committed\":true}")));
            producer.commitTransaction();
        }
        args.addAll(List.of("--max-messages", "1", "--timeout-ms", "60000"));
        Process p = kafkaTool("org.apache.kafka.tools.consumer.ConsoleConsumer", args.subList(1, args.size()));
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "console consumer did not end");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("GOOGL\t{\"committed\":true}"), out);
        assertFalse(out.contains("aborted"), "read_committed hides the aborted output: " + out);
    }

    private Process kafkaTool(String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The first committed record of {@code topic} keyed {@code key} whose value contains {@code text}. */
    private static ConsumerRecord<byte[], byte[]> readOne(String topic, String key, String text) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "readme-" + System.nanoTime());
        try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null
                            && key.equals(new String(r.key(), StandardCharsets.UTF_8))
                            && new String(r.value(), StandardCharsets.UTF_8).contains(text)) {
                        return r;
                    }
                }
            }
        }
        return fail("no record keyed '" + key + "' holding '" + text + "' on " + topic);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
