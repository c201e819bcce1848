package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One SGD step per input record. A record that cannot be decoded or validated, or whose step would not be finite,
 * goes to the dead-letter sink with its reason and leaves the model untouched; every summary interval a
 * {@link dev.streamlearn.avro.TrainingSummary} (and any alert transition) goes out; every snapshot interval the model
 * goes to its changelogged store with the offset of the next input record.
 *
 * <p>Exactly once: the snapshot, the summaries and the input offsets commit in one transaction, but Kafka Streams
 * commits more often than we snapshot. So a restored processor, on its first record, re-reads the input between its
 * snapshot and that record (read_committed) and re-applies it silently: those steps' outputs were already committed.
 * The model is a function of the input offsets alone, however often the process died.
 */
final class TrainingProcessor implements Processor<byte[], byte[], Long, SpecificRecord> {
    static {
        AvroTrust.install();
    }

    static final String CHECKPOINT_KEY = "model";

    private final LearnerConfig config;
    private final LearnerServices services;
    private final SampleValidator validator;
    private final SummaryFactory summaries;
    private ProcessorContext<Long, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;
    private TrainingLoop loop;
    private byte[] pixels;
    /** The next input offset the restored model has not seen, or -1 when nothing was restored. */
    private long restoredOffset;
    private boolean caughtUp;

    TrainingProcessor(LearnerConfig config, LearnerServices services) {
        this.config = config;
        this.services = services;
        this.validator = new SampleValidator(config.model());
        this.summaries = new SummaryFactory(config.applicationId(), config.topics().train().name(),
                config.histogramBins());
    }

    @Override
    public void init(ProcessorContext<Long, SpecificRecord> processorContext) {
        this.context = processorContext;
        this.store = processorContext.getStateStore(LearnerTopology.MODEL_STORE);
        byte[] saved = store.get(CHECKPOINT_KEY);
        OnlineTrainer trainer;
        if (saved == null) {
            trainer = config.startSnapshot() != null ? ModelSnapshot.read(config.startSnapshot()) : freshTrainer();
            restoredOffset = -1;
        } else {
            ModelCheckpoint checkpoint = ModelCheckpoint.fromBytes(saved);
            trainer = checkpoint.restore();
            restoredOffset = checkpoint.nextOffset();
        }
        loop = new TrainingLoop(trainer, config.summaryInterval(), summaries,
                new TrainingLoop.HeldOut(services.heldOut(), config.evaluationInterval()));
        pixels = new byte[config.model().inputSize()];
        caughtUp = false;
        services.liveModel().publish(trainer);
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
                store.put(CHECKPOINT_KEY, ModelCheckpoint.of(loop.trainer(), metadata.offset()).toBytes());
            }
            caughtUp = true;
        }
        handle(record.key(), record.value(), metadata.topic(), metadata.partition(), metadata.offset(),
                record.timestamp(), true);
    }

    /** Re-applies, without output, the committed input between the restored snapshot and the first record handed. */
    private void catchUp(RecordMetadata first) {
        if (first.offset() <= restoredOffset) {
            return;
        }
        for (InputReader.InputRecord missed : services.inputReader().read(first.topic(), first.partition(),
                restoredOffset, first.offset())) {
            handle(missed.key(), missed.value(), first.topic(), first.partition(), missed.offset(),
                    missed.timestamp(), false);
        }
    }

    /**
     * Trains on one record. With emit false (catching up) it changes only the model: its summaries, alerts, dead
     * letters and snapshots were already committed the first time.
     */
    private void handle(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp,
                        boolean emit) {
        SampleValidator.Checked checked = validator.check(value);
        if (!checked.accepted()) {
            loop.countRejected();
            if (emit) {
                deadLetter(key, value, topic, partition, offset, timestamp, checked.stage(), checked.reason(),
                        checked.cause());
            }
            return;
        }
        Sample sample = checked.sample();
        sample.getPixels().duplicate().get(pixels);
        TrainingLoop.Result result = loop.train(pixels, sample.getLabel(), partition, offset, timestamp);
        if (!emit) {
            return;
        }
        if (!result.outcome().applied()) {
            deadLetter(key, value, topic, partition, offset, timestamp, "train", "loss or gradient is not finite "
                    + "(loss " + result.outcome().loss() + "); the update was not applied", null);
            return;
        }
        long step = loop.trainer().updates();
        if (result.summary() != null) {
            context.forward(new Record<>(step, result.summary(), timestamp), LearnerTopology.SUMMARY_SINK);
        }
        for (Alert alert : result.alerts()) {
            context.forward(new Record<>(step, alert, timestamp), LearnerTopology.ALERT_SINK);
        }
        if (step % config.snapshotInterval() == 0 || config.checkpointInterval() > 0
                && step % config.checkpointInterval() == 0) {
            ModelCheckpoint checkpoint = ModelCheckpoint.of(loop.trainer(), offset + 1);
            if (step % config.snapshotInterval() == 0) {
                store.put(CHECKPOINT_KEY, checkpoint.toBytes());
            }
            if (config.checkpointInterval() > 0 && step % config.checkpointInterval() == 0) {
                context.forward(new Record<>(step, checkpoint.toAvro(config.applicationId(), topic, partition,
                        loop.trainer()), timestamp), LearnerTopology.CHECKPOINT_SINK);
            }
        }
    }

    private void deadLetter(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp,
                            String stage, String reason, Throwable cause) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setTimestamp(Instant.ofEpochMilli(timestamp))
                .setStage(stage)
                .setReason(reason)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .build();
        context.forward(new Record<>(offset, letter, timestamp), LearnerTopology.DEAD_LETTER_SINK);
    }
}
