package dev.streamlearn.learner;

import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One SGD step per input record. A record that cannot be decoded or validated, or whose step would not be finite,
 * goes to the dead-letter sink with its reason and leaves the model untouched; every summary interval a
 * {@link dev.streamlearn.avro.TrainingSummary} goes to the summary sink; every snapshot interval the model goes to
 * its changelogged store.
 */
final class TrainingProcessor implements Processor<byte[], byte[], Long, SpecificRecord> {
    static {
        AvroTrust.install();
    }

    static final String CHECKPOINT_KEY = "model";

    private final LearnerConfig config;
    private final LiveModel liveModel;
    private final Supplier<TestSet> heldOut;
    private final SampleValidator validator;
    private final SummaryFactory summaries;
    private ProcessorContext<Long, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;
    private TrainingLoop loop;
    private byte[] pixels;

    TrainingProcessor(LearnerConfig config, LiveModel liveModel, Supplier<TestSet> heldOut) {
        this.config = config;
        this.liveModel = liveModel;
        this.heldOut = heldOut;
        this.validator = new SampleValidator(config.model());
        this.summaries = new SummaryFactory(config.applicationId(), config.topics().train().name(),
                config.histogramBins());
    }

    @Override
    public void init(ProcessorContext<Long, SpecificRecord> processorContext) {
        this.context = processorContext;
        this.store = processorContext.getStateStore(LearnerTopology.MODEL_STORE);
        byte[] saved = store.get(CHECKPOINT_KEY);
        OnlineTrainer trainer = saved == null ? freshTrainer() : ModelCheckpoint.fromBytes(saved).restore();
        loop = new TrainingLoop(trainer, config.summaryInterval(), summaries,
                new TrainingLoop.HeldOut(heldOut, config.evaluationInterval()));
        pixels = new byte[config.model().inputSize()];
        liveModel.publish(trainer);
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
        SampleValidator.Checked checked = validator.check(record.value());
        if (!checked.accepted()) {
            loop.countRejected();
            deadLetter(record, metadata, checked.stage(), checked.reason(), checked.cause());
            return;
        }
        Sample sample = checked.sample();
        sample.getPixels().duplicate().get(pixels);
        TrainingLoop.Result result = loop.train(pixels, sample.getLabel(), metadata.partition(), metadata.offset(),
                record.timestamp());
        if (!result.outcome().applied()) {
            deadLetter(record, metadata, "train", "loss or gradient is not finite (loss " + result.outcome().loss()
                    + "); the update was not applied", null);
            return;
        }
        long step = loop.trainer().updates();
        if (result.summary() != null) {
            context.forward(new Record<>(step, result.summary(), record.timestamp()), LearnerTopology.SUMMARY_SINK);
        }
        for (Alert alert : result.alerts()) {
            context.forward(new Record<>(step, alert, record.timestamp()), LearnerTopology.ALERT_SINK);
        }
        if (step % config.snapshotInterval() == 0) {
            store.put(CHECKPOINT_KEY, ModelCheckpoint.of(loop.trainer(), metadata.offset() + 1).toBytes());
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata metadata, String stage, String reason,
                            Throwable cause) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setTopic(metadata.topic())
                .setPartition(metadata.partition())
                .setOffset(metadata.offset())
                .setTimestamp(Instant.ofEpochMilli(record.timestamp()))
                .setStage(stage)
                .setReason(reason)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .build();
        context.forward(new Record<>(metadata.offset(), letter, record.timestamp()), LearnerTopology.DEAD_LETTER_SINK);
    }
}
