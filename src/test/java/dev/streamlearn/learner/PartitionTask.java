package dev.streamlearn.learner;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.RoundContribution;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.model.OnlineTrainer;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * One partition's task of the learner, driven by hand: its processor on a {@link MockProcessorContext} of that task
 * id, its input, and what it has sent so far. The test driver runs one task of partition 0; this runs any.
 */
final class PartitionTask {
    final int partition;
    final List<InputRecord> input;
    final MockProcessorContext<Object, SpecificRecord> context;
    final LiveModel live = new LiveModel();
    final List<Checkpoint> versions = new ArrayList<>();
    final List<TrainingSummary> summaries = new ArrayList<>();
    final TrainingProcessor processor;
    int next;

    /**
     * A task's processor on a store holding {@code stored} (or nothing), its group committed up to {@code committed}.
     *
     * @param board where averaged replicas meet, or null
     */
    PartitionTask(LearnerConfig config, int partition, List<InputRecord> input, byte[] stored, long committed,
                  CommittedRounds board) throws Exception {
        this(config, partition, input, stored, committed, board, AveragedReplica.HELD_IN_MEMORY);
    }

    /** As above, an averaged replica holding at most heldInMemory waiting records in memory. */
    PartitionTask(LearnerConfig config, int partition, List<InputRecord> input, byte[] stored, long committed,
                  CommittedRounds board, int heldInMemory) throws Exception {
        this.partition = partition;
        this.input = input;
        File state = Files.createTempDirectory("partition-task").toFile();
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
        TrainingProcessor processor = new TrainingProcessor(config, new LearnerServices(live, () -> null,
                new ListInputReader(input, stored == null ? OptionalLong.empty() : OptionalLong.of(committed)),
                board), LearnerTopology.MODEL_STORE, true, heldInMemory);
        processor.init(context);
        this.processor = processor;
        next = (int) committed;
    }

    void feed(int records) {
        for (int i = 0; i < records && next < input.size(); i++, next++) {
            InputRecord record = input.get(next);
            context.setRecordMetadata(record.topic(), partition, record.offset());
            processor.process(new Record<>(record.key(), record.value(), record.timestamp()));
        }
    }

    /** The task commits: its contributions reach the board (when there is one), its versions and summaries are kept. */
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
