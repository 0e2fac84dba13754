package io.seqcast.cli;

import io.seqcast.classify.BeatFeed;
import io.seqcast.classify.EcgFeed;
import io.seqcast.replay.CsvSeries;
import io.seqcast.replay.Replayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code seqcast replay}: send CSV series into a topic as observation events. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Send CSV files (header row; a time column and value columns) into a topic as observations,"
                + " keyed by series, at a chosen rate.")
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--topic", required = true, description = "Observation topic.")
    String topic;

    @Option(names = "--time-column", description = "Time column (default: the first).")
    String timeColumn;

    @Option(
            names = "--value-column",
            split = ",",
            description = "Value column(s), comma-separated for a vector (default: the second column).")
    List<String> valueColumns = new ArrayList<>();

    @Option(names = "--series", description = "Series id (default: the file name without .csv); one file only.")
    String series;

    @Option(
            names = "--beats",
            paramLabel = "ANNOTATIONS",
            description = "The FILE is an MIT-BIH ECG signal: send one observation per beat annotated in this file,"
                    + " its window as the heartbeat classifier reads it (for a classify pipeline).")
    Path beats;

    @Option(
            names = "--ecg",
            paramLabel = "SAMPLES",
            description = "The FILE is an ECG signal (the CSV form of data/ecg): send SAMPLES samples of both leads per"
                    + " observation, interleaved, for an ECG pipeline (mode ecg; input.features = 2 x SAMPLES). Real"
                    + " speed is --rate <sample rate / SAMPLES> per record (10 for 36 samples at 360 Hz).")
    Integer ecg;

    @Option(
            names = "--lead",
            paramLabel = "INTERVAL",
            description =
                    "The FILE is an ECG signal (the CSV form of data/ecg): send its lead 1 (MLII) as one value per"
                            + " INTERVAL, the mean of the samples it spans, for a signal forecasting pipeline with that"
                            + " sampling.interval (ISO-8601 or like 30s; PT0.011111111S is 90 Hz, the signals pipeline's).")
    String lead;

    @Option(
            names = "--seconds",
            description = "With --ecg or --lead: only the first this many seconds of each record" + " (default: all).")
    double seconds;

    @Option(names = "--rate", description = "Records per second in total; 0 = as fast as possible (default: 100).")
    double rate = 100;

    @Option(
            names = "--delivery-timeout",
            paramLabel = "DURATION",
            description = "How long a record may wait to be acknowledged (retries included) before the replay fails:"
                    + " ISO-8601 or like 30s, 2m (default: 2m, Kafka's delivery.timeout.ms).")
    String deliveryTimeout;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "CSV files (.csv or .csv.gz), one series each.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        if (series != null && files.size() > 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--series names one series but " + files.size() + " files were given; drop --series to name"
                            + " each series after its file");
        }
        if ((ecg != null ? 1 : 0) + (lead != null ? 1 : 0) + (beats != null ? 1 : 0) > 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--ecg, --lead and --beats each say how to read an ECG record; give one of them");
        }
        // refuse bad settings before reading the files
        Duration timeout =
                deliveryTimeout == null ? Replayer.DEFAULT_DELIVERY_TIMEOUT : DemoCommand.parse(deliveryTimeout);
        Duration leadInterval = lead == null ? null : DemoCommand.parse(lead);
        kafka.config();
        List<Replayer.Feed> feeds = new ArrayList<>();
        for (Path file : files) {
            String name = series != null ? series : CsvSeries.nameOf(file);
            feeds.add(new Replayer.Feed(
                    topic,
                    ecg != null
                            ? EcgFeed.read(file, ecg, seconds)
                            : leadInterval != null
                                    ? EcgFeed.lead(file, leadInterval, seconds)
                                    : beats != null
                                            ? BeatFeed.read(file, beats)
                                            : CsvSeries.read(file, name, timeColumn, valueColumns)));
        }
        Properties p = kafka.properties();
        try (Replayer replayer = new Replayer(p, timeout)) {
            Thread hook = new Thread(replayer::stop);
            Runtime.getRuntime().addShutdownHook(hook);
            long delivered = replayer.replay(feeds, rate);
            spec.commandLine()
                    .getOut()
                    .println("sent " + delivered + " observations of " + feeds.size() + " series to " + topic);
            if (!replayer.stopped()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        } catch (Replayer.DeliveryFailedException e) {
            spec.commandLine().getErr().println("seqcast replay: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
