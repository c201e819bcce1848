package dev.streamlearn.learner;

import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One SGD step per input record, in {@code process()}: a {@link RecordTrainer} trains on it and this sends what it
 * produced. A record that cannot be decoded or validated, or whose step would not be finite, goes to the dead-letter
 * sink with its reason and leaves the model untouched; every summary interval a
 * {@link dev.streamlearn.avro.TrainingSummary} (and any alert transition) goes out; every snapshot interval the model
 * goes to its changelogged store with the offset of the next input record.
 *
 * <p>Exactly once: the snapshot, the outputs and the input offsets commit in one transaction, but Kafka Streams
 * commits more often than we snapshot. So a restored processor, on its first record, re-reads the input between its
 * snapshot and that record (read_committed) and re-applies it silently: those records' outputs were committed with
 * them. The model is a function of the input offsets alone, however often the process died.
 */
final class TrainingProcessor implements Processor<byte[], byte[], Long, SpecificRecord> {
    static {
        AvroTrust.install();
    }

    static final String CHECKPOINT_KEY = "model";

    private final LearnerConfig config;
    private final LearnerServices services;
    private final SummaryFactory summaries;
    private ProcessorContext<Long, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;
    private RecordTrainer trainer;
    /** The next input offset the restored model has not seen, or -1 when nothing was restored. */
    private long restoredOffset;
    private boolean caughtUp;

    TrainingProcessor(LearnerConfig config, LearnerServices services) {
        this.config = config;
        this.services = services;
        this.summaries = new SummaryFactory(config.applicationId(), config.topics().train().name(),
                config.histogramBins());
    }

    @Override
    public void init(ProcessorContext<Long, SpecificRecord> processorContext) {
        this.context = processorContext;
        this.store = processorContext.getStateStore(LearnerTopology.MODEL_STORE);
        byte[] saved = store.get(CHECKPOINT_KEY);
        OnlineTrainer model;
        if (saved == null) {
            model = config.startSnapshot() != null ? ModelSnapshot.read(config.startSnapshot()) : freshTrainer();
            restoredOffset = -1;
        } else {
            ModelCheckpoint checkpoint = ModelCheckpoint.fromBytes(saved);
            model = checkpoint.restore();
            restoredOffset = checkpoint.nextOffset();
            if (!model.config().equals(config.model())) {
                System.err.println("learner " + config.applicationId() + ": its model store holds "
                        + model.config().describe() + "; it goes on training that, not the "
                        + config.model().describe() + " the flags ask for (use a new --application-id for a new model)");
            }
        }
        trainer = new RecordTrainer(config, new TrainingLoop(model, TrainingLoop.Cadence.of(config), summaries,
                services.heldOut()));
        caughtUp = false;
        services.liveModel().publish(model);
    }

    private OnlineTrainer freshTrainer() {
        OnlineTrainer fresh = new OnlineTrainer(config.model());
        if (config.initFrom() != null) {
            try {
                Npz.load(fresh.network(), config.initFrom());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start from " + config.initFrom() + ": " + e.getMessage(), e);
            }
        }
        return fresh;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        if (metadata.offset() >= config.stopOffset()) {
            return;
        }
        if (!caughtUp) {
            if (restoredOffset >= 0) {
                catchUp(metadata);
            } else {
                // The model as it starts, committed with the first transaction: a learner that dies before its
                // first periodic snapshot then restarts from here and re-applies what it had committed since.
                store.put(CHECKPOINT_KEY, ModelCheckpoint.of(trainer.loop().trainer(), metadata.offset()).toBytes());
            }
            caughtUp = true;
        }
        send(trainer.train(new InputRecord(record.key(), record.value(), metadata.topic(), metadata.partition(),
                metadata.offset(), record.timestamp()), true));
    }

    /** Re-applies, without output, the committed input between the restored snapshot and the first record handed. */
    private void catchUp(RecordMetadata first) {
        if (first.offset() <= restoredOffset) {
            return;
        }
        for (InputRecord missed : services.inputReader().read(first.topic(), first.partition(), restoredOffset,
                first.offset())) {
            trainer.train(missed, false);
        }
    }

    /**
     * Sends one record's outputs, and puts its snapshot in the store, in the transaction that commits the record.
     * Outputs are stamped with the time they are made, so that retention counts from then: training on samples older
     * than the output topics' retention must not write records the broker deletes at once. The input's time stays in
     * their fields.
     */
    private void send(RecordTrainer.Emission emission) {
        if (emission == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        for (RecordTrainer.Forward forward : emission.forwards()) {
            context.forward(new Record<>(forward.key(), forward.value(), now), forward.sink());
        }
        if (emission.storeCheckpoint() != null) {
            store.put(CHECKPOINT_KEY, emission.storeCheckpoint());
        }
    }
}
