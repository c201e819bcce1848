package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The processor on its own, with a model store that already holds a snapshot: what a restored learner does. */
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

    /** A processor initialised on a model store that holds the checkpoint, with the input the reader can re-read. */
    private static TrainingProcessor restored(MockProcessorContext<Long, SpecificRecord> context, LearnerConfig config,
                                              ModelCheckpoint checkpoint, List<InputRecord> readable, LiveModel live) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(LearnerTopology.MODEL_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        store.put(TrainingProcessor.CHECKPOINT_KEY, checkpoint.toBytes());
        TrainingProcessor processor = new TrainingProcessor(config,
                new LearnerServices(live, () -> null, new ListInputReader(readable)));
        processor.init(context);
        return processor;
    }

    @Test
    @DisplayName("restored from a snapshot at offset 100 and handed offset 199 first, it re-applies 100-198 silently "
            + "from the input reader, then trains 199: one summary out, the model of 200 uninterrupted steps")
    void catchUpFromTheInputReader() throws Exception {
        ModelConfig model = ModelConfig.preset("M2").build();
        LearnerConfig config = LearnerConfig.builder("processor-test", TOPICS, model).evaluationInterval(0)
                .checkpointInterval(0).build();
        List<InputRecord> input = records(250);
        OnlineTrainer atSnapshot = new OnlineTrainer(model);
        train(atSnapshot, input.subList(0, 100));

        MockProcessorContext<Long, SpecificRecord> context = new MockProcessorContext<>();
        LiveModel live = new LiveModel();
        TrainingProcessor processor = restored(context, config, ModelCheckpoint.of(atSnapshot, 100), input, live);

        InputRecord first = input.get(199);
        context.setRecordMetadata(TOPIC, 0, first.offset());
        context.setCurrentSystemTimeMs(1_000_000);
        processor.process(new Record<>(first.key(), first.value(), first.timestamp()));

        List<MockProcessorContext.CapturedForward<? extends Long, ? extends SpecificRecord>> sent = context.forwarded();
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(LearnerTopology.SUMMARY_SINK, sent.get(0).childName().orElseThrow());
        assertEquals(200, ((TrainingSummary) sent.get(0).record().value()).getLastStep());
        assertEquals(1_000_000, sent.get(0).record().timestamp(), "stamped when made");
        OnlineTrainer uninterrupted = new OnlineTrainer(model);
        train(uninterrupted, input.subList(0, 200));
        BitwiseAssertions.assertSameModel(uninterrupted, live.trainer().orElseThrow());
    }

    @Test
    @DisplayName("restored from a snapshot of another model than the flags name, it follows the snapshot throughout: "
            + "a label only the flags' head has is a dead letter, not a crash")
    void restoredModelDecidesWhatIsValid() throws Exception {
        ModelConfig snapshotModel = ModelConfig.preset("M2").layers(List.of(784, 3)).build();
        LearnerConfig config = LearnerConfig.builder("processor-test", TOPICS, ModelConfig.preset("M2").build())
                .evaluationInterval(0).checkpointInterval(0).build();
        MockProcessorContext<Long, SpecificRecord> context = new MockProcessorContext<>();
        LiveModel live = new LiveModel();
        TrainingProcessor processor = restored(context, config, ModelCheckpoint.of(new OnlineTrainer(snapshotModel), 0),
                List.of(), live);
        context.setCurrentSystemTimeMs(1);
        List<InputRecord> input = records(10);
        for (InputRecord record : input) {
            context.setRecordMetadata(TOPIC, 0, record.offset());
            processor.process(new Record<>(record.key(), record.value(), record.timestamp()));
        }
        long deadLetters = context.forwarded().stream()
                .filter(sent -> sent.childName().orElseThrow().equals(LearnerTopology.DEAD_LETTER_SINK)).count();
        assertEquals(7, deadLetters, "labels 3-9 of the ten samples");
        assertEquals(snapshotModel, live.trainer().orElseThrow().config());
        assertEquals(3, live.trainer().orElseThrow().updates());
    }
}
