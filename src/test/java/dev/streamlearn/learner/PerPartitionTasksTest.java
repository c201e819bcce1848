package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One model per partition: the tasks of two partitions, their records interleaved, each with its own model, store,
 * summaries and versions, as if the other did not exist; one restarted from its store.
 */
class PerPartitionTasksTest {
    private static final Topics TOPICS = new Topics("");
    private static final ModelConfig MODEL = ModelConfig.preset("M2").build();
    private static final LearnerConfig CONFIG = LearnerConfig.builder("per-partition-test", TOPICS, MODEL)
            .evaluationInterval(0).checkpointInterval(0).snapshotInterval(300)
            .partitioning(Partitioning.PER_PARTITION).build();
    private static final int RECORDS = 1_000;

    private static List<InputRecord> records(int partition) {
        SeededRandom random = new SeededRandom(5 + partition);
        List<InputRecord> records = new ArrayList<>();
        for (int offset = 0; offset < RECORDS; offset++) {
            Sample sample = LearnerTopologyTest.syntheticSample(offset, random);
            records.add(new InputRecord(null, Topics.SAMPLE_SERDE.encode(sample), TOPICS.train().name(), partition,
                    offset, offset));
        }
        return records;
    }

    /** A model trained on one partition's records alone. */
    private static OnlineTrainer alone(List<InputRecord> records) throws Exception {
        OnlineTrainer trainer = new OnlineTrainer(MODEL);
        byte[] pixels = new byte[784];
        for (InputRecord record : records) {
            Sample sample = Topics.SAMPLE_SERDE.decode(record.value());
            sample.getPixels().duplicate().get(pixels);
            trainer.step(pixels, sample.getLabel());
        }
        return trainer;
    }

    @Test
    @DisplayName("two partitions' records interleaved, partition 1 restarted from its store half way: each model, "
            + "version and summary is its own partition's, bit for bit a model trained on that partition alone")
    void eachPartitionItsOwnModel() throws Exception {
        List<List<InputRecord>> input = List.of(records(0), records(1));
        PartitionTask first = new PartitionTask(CONFIG, 0, input.get(0), null, 0, null);
        PartitionTask second = new PartitionTask(CONFIG, 1, input.get(1), null, 0, null);
        for (int turn = 0; turn < 5; turn++) {
            first.feed(100);
            second.feed(100);
        }
        second.commit(null);
        PartitionTask restarted = new PartitionTask(CONFIG, 1, input.get(1), second.stored(), 500, null);
        while (first.next < RECORDS || restarted.next < RECORDS) {
            first.feed(37);
            restarted.feed(53);
        }
        first.punctuate();
        restarted.punctuate();
        first.commit(null);
        restarted.commit(null);
        BitwiseAssertions.assertSameModel(alone(input.get(0)), first.model());
        BitwiseAssertions.assertSameModel(alone(input.get(1)), restarted.model());
        for (PartitionTask task : List.of(first, restarted)) {
            Checkpoint version = task.versions.get(task.versions.size() - 1);
            assertEquals(RECORDS, version.getStep());
            assertEquals(task.partition, version.getInputPartition());
            BitwiseAssertions.assertSameModel(alone(input.get(task.partition)), CheckpointReader.restore(version));
        }
        List<TrainingSummary> summaries = new ArrayList<>(second.summaries);
        summaries.addAll(restarted.summaries);
        assertEquals(List.of(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L),
                summaries.stream().map(TrainingSummary::getLastStep).toList(), "partition 1's summaries, once each");
        summaries.forEach(summary -> assertEquals(1, summary.getInputPartition()));
        first.summaries.forEach(summary -> assertEquals(0, summary.getInputPartition()));
        assertEquals(10, first.summaries.size());
    }
}
