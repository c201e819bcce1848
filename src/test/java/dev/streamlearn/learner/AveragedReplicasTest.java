package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.AveragingSchedule;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelAverage;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.OptimizerSpec;
import dev.streamlearn.model.SeededRandom;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of an averaged model, each the processor of one partition's task, meeting on a board that holds the
 * contributions their tasks have committed: a partition that lags, a replica restarted from its store, and the model
 * the schedule gives by hand, bit for bit.
 */
class AveragedReplicasTest {
    private static final Topics TOPICS = new Topics("");
    private static final String TOPIC = TOPICS.train().name();
    private static final int EVERY = 100;
    private static final int RECORDS = 1_000;
    private static final ModelConfig MODEL = ModelConfig.preset("M2").optimizer(OptimizerSpec.of("momentum", Map.of()))
            .build();
    private static final LearnerConfig CONFIG = LearnerConfig.builder("averaged-test", TOPICS, MODEL)
            .evaluationInterval(0).checkpointInterval(0).averaged(new AveragingSchedule(EVERY)).build();

    private static List<InputRecord> records(int partition) {
        SeededRandom random = new SeededRandom(11 + partition);
        List<InputRecord> records = new ArrayList<>();
        for (int offset = 0; offset < RECORDS; offset++) {
            Sample sample = LearnerTopologyTest.syntheticSample(offset, random);
            records.add(new InputRecord(null, Topics.SAMPLE_SERDE.encode(sample), TOPIC, partition, offset, offset));
        }
        return records;
    }

    private static final List<List<InputRecord>> INPUT = List.of(records(0), records(1));
    /** The model after each round, by hand. */
    private static final List<OnlineTrainer> EXPECTED = expectedRounds(INPUT);

    /** The model after each round, by hand: every replica trains EVERY records of its partition, all take the mean. */
    private static List<OnlineTrainer> expectedRounds(List<List<InputRecord>> partitions) {
        List<OnlineTrainer> replicas = List.of(new OnlineTrainer(MODEL), new OnlineTrainer(MODEL));
        List<OnlineTrainer> rounds = new ArrayList<>();
        byte[] pixels = new byte[784];
        for (int round = 0; round < RECORDS / EVERY; round++) {
            for (int p = 0; p < 2; p++) {
                for (InputRecord record : partitions.get(p).subList(round * EVERY, (round + 1) * EVERY)) {
                    Sample sample = decode(record);
                    sample.getPixels().duplicate().get(pixels);
                    replicas.get(p).step(pixels, sample.getLabel());
                }
            }
            ModelAverage average = ModelAverage.of(replicas);
            replicas.forEach(average::applyTo);
            OnlineTrainer copy = new OnlineTrainer(MODEL);
            average.applyTo(copy);
            rounds.add(copy);
        }
        return rounds;
    }

    private static Sample decode(InputRecord record) {
        try {
            return Topics.SAMPLE_SERDE.decode(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits and punctuates every replica until nothing more happens. */
    private static void settle(CommittedRounds board, List<PartitionTask> replicas) {
        for (int pass = 0; pass < 4 * RECORDS / EVERY; pass++) {
            replicas.forEach(replica -> replica.commit(board));
            replicas.forEach(PartitionTask::punctuate);
        }
        replicas.forEach(replica -> replica.commit(board));
    }

    private static void assertSameState(OnlineTrainer expected, OnlineTrainer actual, String what) {
        BitwiseAssertions.assertSameTensors(BitwiseAssertions.parameters(expected),
                BitwiseAssertions.parameters(actual), what + " parameter");
        BitwiseAssertions.assertSameTensors(expected.optimiser().saveState(), actual.optimiser().saveState(),
                what + " optimiser state");
    }

    @Test
    @DisplayName("partition 1 delayed until partition 0 has everything: partition 0 waits at each round, holding its "
            + "records; both replicas end as the schedule's last average and each round's version is its average, "
            + "bit for bit (parameters and momentum)")
    void delayedPartition() throws Exception {
        CommittedRounds board = new CommittedRounds(2);
        PartitionTask first = new PartitionTask(CONFIG, 0, INPUT.get(0), null, 0, board);
        PartitionTask second = new PartitionTask(CONFIG, 1, INPUT.get(1), null, 0, board);
        first.feed(RECORDS);
        settle(board, List.of(first, second));
        assertEquals(EVERY, first.model().updates(), "partition 0 waits for round 1 with the rest of its records held");
        while (second.next < RECORDS) {
            second.feed(37);
            settle(board, List.of(first, second));
        }
        assertSameState(EXPECTED.get(EXPECTED.size() - 1), first.model(), "partition 0");
        assertSameState(EXPECTED.get(EXPECTED.size() - 1), second.model(), "partition 1");
        assertEquals(EXPECTED.size(), first.versions.size(), "one version per round, from partition 0");
        assertTrue(second.versions.isEmpty(), "partition 1 sends no versions");
        for (int round = 0; round < EXPECTED.size(); round++) {
            Checkpoint version = first.versions.get(round);
            assertEquals(round + 1, version.getAveraging().getRound());
            assertSameState(EXPECTED.get(round), CheckpointReader.restore(version), "version of round " + (round + 1));
        }
        TrainingSummary last = second.summaries.get(second.summaries.size() - 1);
        assertNotNull(last.getAveraging(), "summaries report the round");
        assertEquals(2, last.getAveraging().getDivergence().size());
    }

    @Test
    @DisplayName("a replica restarted from its store, its contribution to the next round committed and records after "
            + "it committed but never trained: it catches up silently to the round's end, holds the rest, and ends as "
            + "the schedule's last average, bit for bit")
    void restartedReplica() throws Exception {
        CommittedRounds board = new CommittedRounds(2);
        PartitionTask first = new PartitionTask(CONFIG, 0, INPUT.get(0), null, 0, board);
        PartitionTask second = new PartitionTask(CONFIG, 1, INPUT.get(1), null, 0, board);
        first.feed(RECORDS);
        second.feed(350);
        settle(board, List.of(first, second));
        // Partition 1 has applied rounds 1-3 and contributed to round 4 at record 400; it has seen 450 records.
        second.feed(100);
        second.commit(board);
        byte[] stored = second.stored();
        assertEquals(300, ModelCheckpoint.fromBytes(stored, "averaged-test", TOPIC, 1).getNextOffset(),
                "the store holds the snapshot taken as round 3 was applied");
        PartitionTask restarted = new PartitionTask(CONFIG, 1, INPUT.get(1), stored, 450, board);
        restarted.feed(RECORDS);
        settle(board, List.of(first, restarted));
        assertSameState(EXPECTED.get(EXPECTED.size() - 1), first.model(), "partition 0");
        assertSameState(EXPECTED.get(EXPECTED.size() - 1), restarted.model(), "restarted partition 1");
        assertEquals(EXPECTED.size(), first.versions.size(), "one version per round");
    }

    @Test
    @DisplayName("with room for only 30 waiting records in memory, the rest are read back from the topic in order: "
            + "the replicas end as the schedule's last average, bit for bit, with a version per round")
    void heldRecordsBeyondMemoryAreReadBack() throws Exception {
        CommittedRounds board = new CommittedRounds(2);
        PartitionTask first = new PartitionTask(CONFIG, 0, INPUT.get(0), null, 0, board, 30);
        PartitionTask second = new PartitionTask(CONFIG, 1, INPUT.get(1), null, 0, board, 30);
        first.feed(RECORDS);
        settle(board, List.of(first, second));
        second.feed(RECORDS);
        settle(board, List.of(first, second));
        assertSameState(EXPECTED.get(EXPECTED.size() - 1), first.model(), "partition 0");
        assertSameState(EXPECTED.get(EXPECTED.size() - 1), second.model(), "partition 1");
        assertEquals(EXPECTED.size(), first.versions.size(), "one version per round");
    }
}
