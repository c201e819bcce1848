package dev.streamlearn.learner;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds a checkpoint on the checkpoint topic (read_committed) by step, or the latest: only checkpoints of the given
 * training topic, and of one learner. Several learners can write to one checkpoint topic; unless one is named, a topic
 * holding more than one learner's checkpoints is refused rather than answered with whichever wrote last.
 */
public final class CheckpointReader {
    private CheckpointReader() {
    }

    /**
     * @param trainingTopic the input topic the checkpoint's learner trained on
     * @param learner the application id of the learner, or null when the topic holds one learner's checkpoints
     * @param partition the input partition whose model it is, or null when the learner trained one partition
     * @param step the checkpoint's step, or -1 for the latest
     */
    public static Optional<Checkpoint> find(Properties clientProperties, Topic<Long, Checkpoint> topic,
                                            String trainingTopic, String learner, Integer partition, long step) {
        List<Checkpoint> all = new ArrayList<>();
        PartitionReader.read(clientProperties, topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer(), -1, -1, Duration.ofMinutes(2), record -> all.add(record.value()));
        return select(all, topic.name(), trainingTopic, learner, partition, step);
    }

    /**
     * The last of the checkpoints, in topic order, that is of the training topic, the learner, the partition and the
     * step. A learner with one model per partition checkpoints each: without a partition named, that is refused rather
     * than answered with whichever partition wrote last.
     */
    static Optional<Checkpoint> select(List<Checkpoint> checkpoints, String checkpointTopic, String trainingTopic,
                                       String learner, Integer partition, long step) {
        Set<String> learners = new TreeSet<>();
        Set<Integer> partitions = new TreeSet<>();
        Checkpoint found = null;
        for (Checkpoint checkpoint : checkpoints) {
            if (!checkpoint.getInputTopic().equals(trainingTopic)
                    || learner != null && !checkpoint.getApplicationId().equals(learner)
                    || partition != null && checkpoint.getInputPartition() != partition) {
                continue;
            }
            learners.add(checkpoint.getApplicationId());
            partitions.add(checkpoint.getInputPartition());
            if (step < 0 || checkpoint.getStep() == step) {
                found = checkpoint;
            }
        }
        if (learners.size() > 1) {
            throw new IllegalArgumentException(checkpointTopic + " holds checkpoints of " + learners.size()
                    + " learners of " + trainingTopic + " " + learners + "; name one with --learner");
        }
        if (partitions.size() > 1) {
            throw new IllegalArgumentException(checkpointTopic + " holds checkpoints of the models of partitions "
                    + partitions + " of " + trainingTopic + " (one model per partition); name one with --partition");
        }
        return Optional.ofNullable(found);
    }

    /** The trainer a checkpoint holds: parameters, optimiser state and counters, bit for bit. */
    public static OnlineTrainer restore(Checkpoint checkpoint) {
        return ModelSnapshot.read(snapshotBytes(checkpoint));
    }

    /** The snapshot bytes of a checkpoint. */
    public static byte[] snapshotBytes(Checkpoint checkpoint) {
        return bytes(checkpoint.getSnapshot());
    }

    /** The bytes of an Avro bytes field, its buffer left as it was. */
    static byte[] bytes(java.nio.ByteBuffer field) {
        var buffer = field.duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
