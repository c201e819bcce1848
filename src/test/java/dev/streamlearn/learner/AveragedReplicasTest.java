package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.RoundContribution;
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
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
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

    /** The contributions the replicas' tasks have committed, in commit order: what the rounds topic holds. */
    private static final class CommittedRounds implements RoundBoard {
        final List<RoundContribution> log = new ArrayList<>();

        @Override
        public Optional<Round> round(long round, int partitions, long from) {
            List<RoundContribution> found = new ArrayList<>();
            long last = -1;
            for (int offset = (int) from; offset < log.size(); offset++) {
                if (log.get(offset).getRound() == round) {
                    found.add(log.get(offset));
                    last = offset;
                }
            }
            found.sort(Comparator.comparingInt(RoundContribution::getPartition));
            return found.size() == partitions ? Optional.of(new Round(found, last + 1)) : Optional.empty();
        }

        @Override
        public int partitions(String topic) {
            return 2;
        }
    }

    /** One partition's task: its processor, context and input, and what it has sent so far. */
    private static final class Replica {
        final int partition;
        final List<InputRecord> input;
        final MockProcessorContext<Object, SpecificRecord> context;
        final LiveModel live = new LiveModel();
        final List<Checkpoint> versions = new ArrayList<>();
        final List<TrainingSummary> summaries = new ArrayList<>();
        final TrainingProcessor processor;
        int next;

        Replica(int partition, List<InputRecord> input, byte[] stored, long committed, CommittedRounds board)
                throws Exception {
            this.partition = partition;
            this.input = input;
            File state = Files.createTempDirectory("averaged-test").toFile();
            context = new MockProcessorContext<>(new Properties(), new TaskId(0, partition), state);
            context.setCurrentSystemTimeMs(1_000_000);
            KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(LearnerTopology.MODEL_STORE), Serdes.String(), Serdes.ByteArray())
                    .withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            if (stored != null) {
                store.put(TrainingProcessor.CHECKPOINT_KEY, stored);
            }
            TrainingProcessor processor = new TrainingProcessor(CONFIG, new LearnerServices(live, () -> null,
                    new ListInputReader(input, stored == null ? OptionalLong.empty() : OptionalLong.of(committed)),
                    board));
            processor.init(context);
            this.processor = processor;
            next = (int) committed;
        }

        void feed(int records) {
            for (int i = 0; i < records && next < input.size(); i++, next++) {
                InputRecord record = input.get(next);
                context.setRecordMetadata(TOPIC, partition, record.offset());
                processor.process(new Record<>(record.key(), record.value(), record.timestamp()));
            }
        }

        /** The task commits: its contributions reach the board. */
        void commit(CommittedRounds board) {
            for (var forward : context.forwarded()) {
                SpecificRecord value = forward.record().value();
                switch (forward.childName().orElseThrow()) {
                    case LearnerTopology.ROUND_SINK -> board.log.add((RoundContribution) value);
                    case LearnerTopology.MODEL_SINK -> versions.add((Checkpoint) value);
                    case LearnerTopology.SUMMARY_SINK -> summaries.add((TrainingSummary) value);
                    default -> { }
                }
            }
            context.resetForwards();
        }

        void punctuate() {
            context.scheduledPunctuators().forEach(punctuator -> punctuator.getPunctuator().punctuate(0));
        }

        byte[] stored() {
            KeyValueStore<String, byte[]> store = context.getStateStore(LearnerTopology.MODEL_STORE);
            return store.get(TrainingProcessor.CHECKPOINT_KEY);
        }

        OnlineTrainer model() {
            return live.trainer(partition).orElseThrow();
        }
    }

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
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Commits and punctuates every replica until nothing more happens. */
    private static void settle(CommittedRounds board, List<Replica> replicas) {
        for (int pass = 0; pass < 4 * RECORDS / EVERY; pass++) {
            replicas.forEach(replica -> replica.commit(board));
            replicas.forEach(Replica::punctuate);
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
        CommittedRounds board = new CommittedRounds();
        Replica first = new Replica(0, INPUT.get(0), null, 0, board);
        Replica second = new Replica(1, INPUT.get(1), null, 0, board);
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
        CommittedRounds board = new CommittedRounds();
        Replica first = new Replica(0, INPUT.get(0), null, 0, board);
        Replica second = new Replica(1, INPUT.get(1), null, 0, board);
        first.feed(RECORDS);
        second.feed(350);
        settle(board, List.of(first, second));
        // Partition 1 has applied rounds 1-3 and contributed to round 4 at record 400; it has seen 450 records.
        second.feed(100);
        second.commit(board);
        byte[] stored = second.stored();
        assertEquals(300, ModelCheckpoint.fromBytes(stored, "averaged-test", TOPIC, 1).getNextOffset(),
                "the store holds the snapshot taken as round 3 was applied");
        Replica restarted = new Replica(1, INPUT.get(1), stored, 450, board);
        restarted.feed(RECORDS);
        settle(board, List.of(first, restarted));
        assertSameState(EXPECTED.get(EXPECTED.size() - 1), first.model(), "partition 0");
        assertSameState(EXPECTED.get(EXPECTED.size() - 1), restarted.model(), "restarted partition 1");
        assertEquals(EXPECTED.size(), first.versions.size(), "one version per round");
    }
}
