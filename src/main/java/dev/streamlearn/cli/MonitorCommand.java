package dev.streamlearn.cli;

import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.monitor.SummaryConsumer;
import dev.streamlearn.monitor.SummaryFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Print training summaries as the learner commits them, one line (or JSON object) each.")
final class MonitorCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--from-beginning", description = "Show the whole run, not only what comes next.")
    boolean fromBeginning;

    @Option(names = "--json", description = "One JSON object per summary (pipe to jq).")
    boolean json;

    @Override
    public Integer call() {
        SummaryFormat format = json ? SummaryFormat.JSON : SummaryFormat.LINE;
        try (KafkaCluster cluster = kafka.connect();
             SummaryConsumer consumer = new SummaryConsumer(cluster.clientProperties(), kafka.topics().monitor(),
                     fromBeginning)) {
            try (ShutdownSignal signal = new ShutdownSignal(consumer::stop)) {
                consumer.run(summary -> System.out.println(format.format(summary)));
            }
        }
        return 0;
    }
}
