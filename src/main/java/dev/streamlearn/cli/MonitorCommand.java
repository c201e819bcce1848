package dev.streamlearn.cli;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.monitor.DashboardServer;
import dev.streamlearn.monitor.SummaryConsumer;
import dev.streamlearn.monitor.SummaryFormat;
import dev.streamlearn.monitor.TerminalDashboard;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Watch training summaries as the learner commits them: a live terminal view, or one line, JSON "
                + "object or CSV row per summary.")
final class MonitorCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--from-beginning", description = "Show the whole run, not only what comes next.")
    boolean fromBeginning;

    @Option(names = "--from-timestamp", paramLabel = "TIME",
            description = "Show summaries written since TIME (ISO-8601 such as 2026-11-24T10:15:00Z, or epoch ms).")
    String fromTimestamp;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "Also serve the web dashboard and /metrics there, e.g. 127.0.0.1:8080.")
    String http;

    @ArgGroup(exclusive = true)
    Output output = new Output();

    static final class Output {
        @Option(names = "--json", description = "One JSON object per summary (pipe to jq).")
        boolean json;

        @Option(names = "--csv", description = "A CSV header, then one row per summary.")
        boolean csv;

        @Option(names = "--lines", description = "One line per summary instead of the redrawn view.")
        boolean lines;
    }

    @Override
    public Integer call() {
        SummaryConsumer.Start start = fromTimestamp != null ? new SummaryConsumer.Start.At(parseTime(fromTimestamp))
                : fromBeginning ? new SummaryConsumer.Start.Earliest() : new SummaryConsumer.Start.Latest();
        if (kafka.printedConfig()) {
            return 0;
        }
        try (KafkaCluster cluster = kafka.connect();
             SummaryConsumer consumer = new SummaryConsumer(cluster.clientProperties(), kafka.topics().monitor(),
                     start);
             ShutdownSignal signal = new ShutdownSignal(consumer::stop)) {
            Consumer<TrainingSummary> printer = printer();
            if (http == null) {
                consumer.run(printer);
            } else {
                try (DashboardServer dashboard = DashboardServer.start(HttpAddress.parse(http))) {
                    System.err.println("dashboard at " + dashboard.uri() + " (metrics at " + dashboard.uri()
                            + "metrics)");
                    consumer.run(printer.andThen(dashboard::publish));
                }
            }
        }
        return 0;
    }

    private Consumer<TrainingSummary> printer() {
        if (output.json) {
            return summary -> System.out.println(SummaryFormat.JSON.format(summary));
        }
        if (output.csv) {
            boolean[] headerWritten = {false};
            return summary -> {
                if (!headerWritten[0]) {
                    System.out.println(SummaryFormat.header(summary));
                    headerWritten[0] = true;
                }
                System.out.println(SummaryFormat.CSV.format(summary));
            };
        }
        if (output.lines || System.console() == null) {
            return summary -> System.out.println(SummaryFormat.LINE.format(summary));
        }
        return new TerminalDashboard(System.out)::show;
    }

    private static Instant parseTime(String text) {
        try {
            return text.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(text))
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--from-timestamp is '" + text + "', expected ISO-8601 such as "
                    + "2026-11-24T10:15:00Z or epoch milliseconds");
        }
    }
}
