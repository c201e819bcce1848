package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Checkpoint;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Choosing a checkpoint: of the training topic asked for, of one learner, by step or the latest. */
class CheckpointReaderTest {
    private static Checkpoint checkpoint(String learner, String input, long step) {
        return checkpoint(learner, input, 0, step);
    }

    private static Checkpoint checkpoint(String learner, String input, int partition, long step) {
        return Checkpoint.newBuilder().setApplicationId(learner).setStep(step).setInputTopic(input)
                .setInputPartition(partition).setNextOffset(step).setTakenAt(Instant.ofEpochMilli(step)).setModelConfig("{}")
                .setSnapshot(ByteBuffer.allocate(0)).build();
    }

    private static final List<Checkpoint> TOPIC = List.of(checkpoint("a", "run.mnist.train", 1000),
            checkpoint("b", "run.mnist.train", 1000), checkpoint("a", "run.mnist.train", 2000),
            checkpoint("c", "other.mnist.train", 3000));

    private static Optional<Checkpoint> select(String learner, long step) {
        return CheckpointReader.select(TOPIC, "run.learner.checkpoints", "run.mnist.train", learner, null, step);
    }

    @Test
    @DisplayName("the latest of a named learner is its own, never another learner's or another topic's")
    void latestOfALearner() {
        assertEquals(checkpoint("a", "run.mnist.train", 2000), select("a", -1).orElseThrow());
        assertEquals(checkpoint("b", "run.mnist.train", 1000), select("b", -1).orElseThrow());
        assertEquals(Optional.empty(), select("b", 2000));
        assertEquals(Optional.empty(), select("c", -1));
    }

    @Test
    @DisplayName("with two learners' checkpoints and none named, the choice is refused, naming both")
    void twoLearnersNeedAName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> select(null, -1));
        assertTrue(refused.getMessage().contains("holds checkpoints of 2 learners of run.mnist.train [a, b]; name one "
                + "with --learner"), refused.getMessage());
    }

    @Test
    @DisplayName("one learner's checkpoints need no name")
    void oneLearner() {
        assertEquals(checkpoint("a", "run.mnist.train", 2000), CheckpointReader.select(TOPIC.subList(2, 4),
                "run.learner.checkpoints", "run.mnist.train", null, null, -1).orElseThrow());
    }

    @Test
    @DisplayName("a learner with one model per partition: the latest of a named partition is that partition's; none "
            + "named is refused, naming the partitions")
    void perPartition() {
        List<Checkpoint> checkpoints = List.of(checkpoint("pp", "run.mnist.train", 0, 1000),
                checkpoint("pp", "run.mnist.train", 1, 1000), checkpoint("pp", "run.mnist.train", 0, 2000),
                checkpoint("pp", "run.mnist.train", 1, 1500));
        assertEquals(checkpoint("pp", "run.mnist.train", 0, 2000), CheckpointReader.select(checkpoints,
                "run.learner.checkpoints", "run.mnist.train", null, 0, -1).orElseThrow());
        assertEquals(checkpoint("pp", "run.mnist.train", 1, 1500), CheckpointReader.select(checkpoints,
                "run.learner.checkpoints", "run.mnist.train", "pp", 1, -1).orElseThrow());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> CheckpointReader.select(checkpoints, "run.learner.checkpoints", "run.mnist.train", "pp", null,
                        -1));
        assertTrue(refused.getMessage().contains("holds checkpoints of the models of partitions [0, 1] of "
                + "run.mnist.train (one model per partition); name one with --partition"), refused.getMessage());
    }
}
