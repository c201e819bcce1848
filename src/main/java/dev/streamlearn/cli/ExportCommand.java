package dev.streamlearn.cli;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.learner.CheckpointReader;
import dev.streamlearn.model.Npz;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a checkpoint's weights from the checkpoint topic as NumPy arrays (W1, b1, ...).")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--checkpoint", paramLabel = "STEP|latest", required = true,
            description = "The step of the checkpoint, or latest.")
    String checkpoint;

    @Option(names = "--out", paramLabel = "FILE.npz", required = true, description = "Where to write the weights.")
    Path out;

    @Option(names = "--learner", paramLabel = "APPLICATION_ID",
            description = "Whose checkpoint, when several learners write to the checkpoint topic.")
    String learner;

    @Option(names = "--partition", paramLabel = "N", description = "Which partition's model, when the learner trains "
            + "one model per partition.")
    Integer partition;

    @Override
    public Integer call() throws Exception {
        if (kafka.printedConfig()) {
            return 0;
        }
        long step = parseStep(checkpoint);
        try (KafkaCluster cluster = kafka.connect()) {
            Checkpoint found = CheckpointReader.find(cluster.clientProperties(), kafka.topics().checkpoints(),
                            kafka.topics().train().name(), learner, partition, step)
                    .orElseThrow(() -> new IllegalArgumentException("no checkpoint " + checkpoint + " on "
                            + kafka.topics().checkpoints().name()));
            Npz.export(CheckpointReader.restore(found).network(), out);
            System.out.println("checkpoint at step " + found.getStep() + " (input offset " + found.getNextOffset()
                    + ") written to " + out);
        }
        return 0;
    }

    /** A step number, or -1 for "latest". */
    static long parseStep(String text) {
        if ("latest".equalsIgnoreCase(text)) {
            return -1;
        }
        try {
            long step = Long.parseLong(text);
            if (step > 0) {
                return step;
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("--checkpoint is '" + text + "', expected a step > 0 or latest");
    }
}
