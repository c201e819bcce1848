package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The processor on its own, with a model store that may already hold a snapshot: what a restored learner does. */
class TrainingProcessorTest {
    private static final Topics TOPICS = new Topics("");
    private static final String TOPIC = TOPICS.train().name();

    private static List<InputRecord> records(int count) {
        SeededRandom random = new SeededRandom(3);
        List<InputRecord> records = new ArrayList<>();
        for (int offset = 0; offset < count; offset++) {
            Sample sample = LearnerTopologyTest.syntheticSample(offset, random);
            records.add(new InputRecord(null, Topics.SAMPLE_SERDE.encode(sample), TOPIC, 0, offset, offset));
        }
        return records;
    }

    private static void train(OnlineTrainer trainer, List<InputRecord> records) throws Exception {
        byte[] pixels = new byte[784];
        for (InputRecord record : records) {
            Sample sample = Topics.SAMPLE_SERDE.decode(record.value());
            sample.getPixels().duplicate().get(pixels);
            trainer.step(pixels, sample.getLabel());
        }
    }

    private static final ModelConfig M2 = ModelConfig.preset("M2").build();

    private static LearnerConfig config(ModelConfig model) {
        return LearnerConfig.builder("processor-test", TOPICS, model).evaluationInterval(0).checkpointInterval(0)
                .build();
    }

    /** Every tensor of the live model is that of training on exactly these records, uninterrupted. */
    private static void assertModelOf(List<InputRecord> records, LiveModel live) throws Exception {
        OnlineTrainer uninterrupted = new OnlineTrainer(live.trainer().orElseThrow().config());
        train(uninterrupted, records);
        BitwiseAssertions.assertSameModel(uninterrupted, live.trainer().orElseThrow());
    }

    private static SummaryFactory summaries(LearnerConfig config) {
        return new SummaryFactory(config.applicationId(), TOPIC, config.histogramBins());
    }

    /** The checkpoint a learner that never stopped would hold after the records before offset {@code next}. */
    private static Checkpoint checkpointAfter(LearnerConfig config, List<InputRecord> records, int next) {
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(config.model()), TrainingLoop.Cadence.of(config),
                summaries(config), () -> null);
        RecordTrainer trainer = new RecordTrainer(config, loop);
        records.subList(0, next).forEach(record -> trainer.train(record, false));
        return ModelCheckpoint.take(config.applicationId(), TOPIC, 0, next, loop);
    }

    private static KeyValueStore<String, byte[]> store(MockProcessorContext<Object, SpecificRecord> context) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(LearnerTopology.MODEL_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** A processor initialised on a model store holding {@code stored} (or nothing), over the reader's input. */
    private static TrainingProcessor processor(MockProcessorContext<Object, SpecificRecord> context, LearnerConfig config,
                                               byte[] stored, InputReader reader, LiveModel live) {
        KeyValueStore<String, byte[]> store = store(context);
        if (stored != null) {
            store.put(TrainingProcessor.CHECKPOINT_KEY, stored);
        }
        TrainingProcessor processor = new TrainingProcessor(config, new LearnerServices(live, () -> null, reader));
        processor.init(context);
        return processor;
    }

    private static void process(TrainingProcessor processor, MockProcessorContext<Object, SpecificRecord> context,
                                List<InputRecord> records) {
        context.setCurrentSystemTimeMs(1_000_000);
        for (InputRecord record : records) {
            context.setRecordMetadata(TOPIC, 0, record.offset());
            processor.process(new Record<>(record.key(), record.value(), record.timestamp()));
        }
    }

    @Test
    @DisplayName("restored from a snapshot at offset 100 and handed offset 199 first, it re-applies 100-198 silently "
            + "from the input reader, then trains 199: one summary out, the model of 200 uninterrupted steps")
    void catchUpFromTheInputReader() throws Exception {
        LearnerConfig config = config(M2);
        List<InputRecord> input = records(250);

        MockProcessorContext<Object, SpecificRecord> context = new MockProcessorContext<>();
        LiveModel live = new LiveModel();
        TrainingProcessor processor = processor(context, config,
                ModelCheckpoint.toBytes(checkpointAfter(config, input, 100)), new ListInputReader(input), live);

        process(processor, context, input.subList(199, 200));

        List<MockProcessorContext.CapturedForward<? extends Object, ? extends SpecificRecord>> sent = context.forwarded();
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(LearnerTopology.SUMMARY_SINK, sent.get(0).childName().orElseThrow());
        assertEquals(200, ((TrainingSummary) sent.get(0).record().value()).getLastStep());
        assertEquals(1_000_000, sent.get(0).record().timestamp(), "stamped when made");
        assertModelOf(input.subList(0, 200), live);
    }

    @Test
    @DisplayName("restored from a snapshot at offset 100 with offset 180 committed, it catches up as it starts, before "
            + "any record arrives: the live model is that of 180 steps, and nothing is sent twice")
    void catchUpAtStart() throws Exception {
        LearnerConfig config = config(M2);
        List<InputRecord> input = records(250);
        MockProcessorContext<Object, SpecificRecord> context = new MockProcessorContext<>();
        LiveModel live = new LiveModel();
        processor(context, config, ModelCheckpoint.toBytes(checkpointAfter(config, input, 100)),
                new ListInputReader(input, OptionalLong.of(180)), live);

        assertEquals(List.of(), context.forwarded());
        assertModelOf(input.subList(0, 180), live);
    }

    @Test
    @DisplayName("a store written before learner state (offset, then snapshot) restores, and catches up from its offset")
    void legacyStoreValue() throws Exception {
        LearnerConfig config = config(M2);
        List<InputRecord> input = records(150);
        OnlineTrainer atSnapshot = new OnlineTrainer(M2);
        train(atSnapshot, input.subList(0, 100));
        byte[] snapshot = ModelSnapshot.write(atSnapshot);
        byte[] legacy = ByteBuffer.allocate(8 + snapshot.length).putLong(100).put(snapshot).array();
        LiveModel live = new LiveModel();
        processor(new MockProcessorContext<>(), config, legacy, new ListInputReader(input, OptionalLong.of(150)), live);
        assertModelOf(input.subList(0, 150), live);
    }

    /**
     * Every output of a learner stopped after 1,450 records, its store holding the snapshot of record 1,000 (taken
     * mid-window, with refused records and raised alerts behind it), and restarted with 1,450
     * committed; the same records through one that never stopped. Wall-clock fields are blanked.
     */
    @Test
    @DisplayName("restarted from a snapshot taken mid-window, with bad records and raised alerts behind it, every "
            + "output after the restart (summaries, alerts, dead letters, checkpoints) is the uninterrupted run's")
    void restartedOutputsAreTheUninterruptedOnes() {
        LearnerConfig config = LearnerConfig.builder("processor-test", TOPICS,
                        ModelConfig.preset("M3").learningRate(1.0).build())
                .snapshotInterval(500).evaluationInterval(0).checkpointInterval(300).build();
        List<InputRecord> input = new ArrayList<>(records(3_000));
        for (int offset = 13; offset < input.size(); offset += 37) {
            input.set(offset, new InputRecord(null, new byte[] {9, 9}, TOPIC, 0, offset, offset));
        }
        MockProcessorContext<Object, SpecificRecord> uninterruptedContext = new MockProcessorContext<>();
        process(processor(uninterruptedContext, config, null, new ListInputReader(input), new LiveModel()),
                uninterruptedContext, input);
        List<String> uninterrupted = outputs(uninterruptedContext);

        MockProcessorContext<Object, SpecificRecord> before = new MockProcessorContext<>();
        process(processor(before, config, null, new ListInputReader(input), new LiveModel()), before,
                input.subList(0, 1_450));
        byte[] stored = ((KeyValueStore<String, byte[]>) before.getStateStore(LearnerTopology.MODEL_STORE))
                .get(TrainingProcessor.CHECKPOINT_KEY);
        assertEquals(1_000, ModelCheckpoint.fromBytes(stored, "processor-test", TOPIC, 0).getNextOffset());
        MockProcessorContext<Object, SpecificRecord> after = new MockProcessorContext<>();
        process(processor(after, config, stored, new ListInputReader(input, OptionalLong.of(1_450)), new LiveModel()),
                after, input.subList(1_450, input.size()));
        List<String> restarted = new ArrayList<>(outputs(before));
        restarted.addAll(outputs(after));

        assertTrue(uninterrupted.stream().filter(output -> output.startsWith("alerts")).count() >= 2,
                "alerts were raised before and after the restart: " + uninterrupted.stream()
                        .filter(output -> output.startsWith("alerts")).toList());
        assertEquals(uninterrupted, restarted);
    }

    /** Each forwarded record as its sink, key and value, the wall-clock fields blanked. */
    private static List<String> outputs(MockProcessorContext<Object, SpecificRecord> context) {
        List<String> outputs = new ArrayList<>();
        for (var forward : context.forwarded()) {
            SpecificRecord value = forward.record().value();
            if (value instanceof TrainingSummary summary) {
                summary.setProcessedAt(Instant.EPOCH);
                summary.setSamplesPerSecond(0);
            } else if (value instanceof Checkpoint checkpoint) {
                checkpoint.setTakenAt(Instant.EPOCH);
            }
            outputs.add(forward.childName().orElseThrow() + ":" + forward.record().key() + " " + value);
        }
        return outputs;
    }

    @Test
    @DisplayName("restored from a snapshot of another model than the flags name, it follows the snapshot throughout: "
            + "a label only the flags' head has is a dead letter, not a crash")
    void restoredModelDecidesWhatIsValid() throws Exception {
        ModelConfig snapshotModel = ModelConfig.preset("M2").layers(List.of(784, 3)).build();
        LearnerConfig config = config(M2);
        LearnerConfig snapshotConfig = config(snapshotModel);
        MockProcessorContext<Object, SpecificRecord> context = new MockProcessorContext<>();
        LiveModel live = new LiveModel();
        TrainingProcessor processor = processor(context, config,
                ModelCheckpoint.toBytes(checkpointAfter(snapshotConfig, List.of(), 0)), new ListInputReader(List.of()),
                live);
        process(processor, context, records(10));
        long deadLetters = context.forwarded().stream()
                .filter(sent -> sent.childName().orElseThrow().equals(LearnerTopology.DEAD_LETTER_SINK)).count();
        assertEquals(7, deadLetters, "labels 3-9 of the ten samples");
        assertEquals(snapshotModel, live.trainer().orElseThrow().config());
        assertEquals(3, live.trainer().orElseThrow().updates());
    }

    @Test
    @DisplayName("a failure of the learner's own stops it with one line naming the record and the step")
    void ownFailureNamesTheRecord() {
        LearnerConfig config = LearnerConfig.builder("processor-test", TOPICS, ModelConfig.preset("M2").build())
                .evaluationInterval(100).checkpointInterval(0).build();
        MockProcessorContext<Object, SpecificRecord> context = new MockProcessorContext<>();
        store(context);
        TrainingProcessor processor = new TrainingProcessor(config, new LearnerServices(new LiveModel(), () -> {
            throw new IllegalStateException("held-out set unreadable");
        }, new ListInputReader(List.of())));
        processor.init(context);
        LearnerFault fault = assertThrows(LearnerFault.class, () -> process(processor, context, records(150)));
        assertEquals("learner processor-test stopped on " + TOPIC + " partition 0 offset 99 (after step 100): "
                + "java.lang.IllegalStateException: held-out set unreadable", fault.getMessage());
    }
}
