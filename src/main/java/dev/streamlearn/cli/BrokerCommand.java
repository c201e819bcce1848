package dev.streamlearn.cli;

import dev.streamlearn.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run the embedded Apache Kafka KRaft broker alone until Ctrl-C; other commands pointed at the "
                + "same --kafka-dir use it.")
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--kafka-dir", paramLabel = "DIR", defaultValue = "data/kafka",
            description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path kafkaDir;

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        try (ShutdownSignal signal = new ShutdownSignal(); EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir, port)) {
            System.out.println("Kafka broker (KRaft) running, bootstrap servers " + broker.bootstrapServers()
                    + ", data in " + kafkaDir + "; Ctrl-C stops it");
            signal.requested().await();
        }
        return 0;
    }
}
