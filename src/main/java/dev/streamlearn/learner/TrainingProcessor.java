package dev.streamlearn.learner;

import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One SGD step per input record, on a training thread of its own ({@link TrainingPipeline}): the stream thread
 * hands records over and sends what they produced. A record that cannot be decoded or validated, or whose step would
 * not be finite, goes to the dead-letter sink with its reason and leaves the model untouched; every summary interval
 * a {@link dev.streamlearn.avro.TrainingSummary} (and any alert transition) goes out; every snapshot interval the
 * model goes to its changelogged store with the offset of the next input record.
 *
 * <p>Exactly once: the snapshot, the outputs and the input offsets commit in one transaction, but Kafka Streams
 * commits more often than we snapshot, and its commits include records the training thread has not reached yet. So
 * the store also holds the offset below which every record's outputs were sent, and a restored processor, on its
 * first record, re-reads the input between its snapshot and that record (read_committed) and re-applies it: silently
 * below that offset, whose outputs were committed the first time, and with outputs from it on. The model is a
 * function of the input offsets alone, however often the process died.
 */
final class TrainingProcessor implements Processor<byte[], byte[], Long, SpecificRecord> {
    static {
        AvroTrust.install();
    }

    static final String CHECKPOINT_KEY = "model";
    static final String EMITTED_KEY = "emitted-below";
    /**
     * How often the processor checks on the training thread without input: to send outputs still in the pipeline
     * when the input has paused, and to flush when the learner is stopping.
     */
    static final Duration PUNCTUATION_INTERVAL = Duration.ofMillis(100);

    private final LearnerConfig config;
    private final LearnerServices services;
    private final SummaryFactory summaries;
    private ProcessorContext<Long, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;
    private TrainingLoop loop;
    private TrainingPipeline pipeline;
    /** The next input offset the restored model has not seen, or -1 when nothing was restored. */
    private long restoredOffset;
    /** Records from this offset on have not had their outputs sent. */
    private long emittedBelow;
    private boolean caughtUp;
    private boolean processedSincePunctuation;

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
        OnlineTrainer trainer;
        if (saved == null) {
            trainer = config.startSnapshot() != null ? ModelSnapshot.read(config.startSnapshot()) : freshTrainer();
            restoredOffset = -1;
        } else {
            ModelCheckpoint checkpoint = ModelCheckpoint.fromBytes(saved);
            trainer = checkpoint.restore();
            restoredOffset = checkpoint.nextOffset();
        }
        byte[] emitted = store.get(EMITTED_KEY);
        emittedBelow = emitted == null ? Long.MIN_VALUE : ByteBuffer.wrap(emitted).getLong();
        loop = new TrainingLoop(trainer, config.summaryInterval(), summaries,
                new TrainingLoop.HeldOut(services.heldOut(), config.evaluationInterval()));
        pipeline = new TrainingPipeline(new RecordTrainer(config, loop),
                "streamlearn-trainer-" + config.applicationId() + "-" + processorContext.taskId());
        caughtUp = false;
        services.liveModel().publish(trainer);
        processorContext.schedule(PUNCTUATION_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> punctuate());
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
        pipeline.submit(record.key(), record.value(), metadata.topic(), metadata.partition(), metadata.offset(),
                record.timestamp(), true);
        processedSincePunctuation = true;
        if (services.stopRequest().requested()) {
            flush();
        } else {
            sendEmissions();
        }
    }

    /**
     * Re-applies the committed input between the restored snapshot and the first record handed: silently where its
     * outputs were sent before the process stopped, with outputs where they were not.
     */
    private void catchUp(RecordMetadata first) {
        if (first.offset() <= restoredOffset) {
            return;
        }
        for (InputReader.InputRecord missed : services.inputReader().read(first.topic(), first.partition(),
                restoredOffset, first.offset())) {
            pipeline.submit(missed.key(), missed.value(), first.topic(), first.partition(), missed.offset(),
                    missed.timestamp(), missed.offset() >= emittedBelow);
        }
    }

    /**
     * Sends what the training thread has produced; when the input has paused or the learner is stopping, first waits
     * for it to finish what it was given (at most a ring of steps).
     */
    private void punctuate() {
        if (services.stopRequest().requested() || !processedSincePunctuation) {
            flush();
        } else {
            sendEmissions();
        }
        processedSincePunctuation = false;
    }

    private void flush() {
        pipeline.awaitIdle();
        sendEmissions();
        if (services.stopRequest().requested()) {
            services.stopRequest().confirmFlushed();
        }
    }

    /** Sends what the training thread has produced so far, and records how far that reaches. */
    private void sendEmissions() {
        long before = emittedBelow;
        for (RecordTrainer.Emission emission = pipeline.pollEmission(); emission != null;
             emission = pipeline.pollEmission()) {
            for (RecordTrainer.Forward forward : emission.forwards()) {
                context.forward(new Record<>(forward.key(), forward.value(), emission.timestamp()), forward.sink());
            }
            if (emission.storeCheckpoint() != null) {
                store.put(CHECKPOINT_KEY, emission.storeCheckpoint());
            }
            emittedBelow = emission.offset() + 1;
        }
        if (emittedBelow != before) {
            store.put(EMITTED_KEY, ByteBuffer.allocate(Long.BYTES).putLong(emittedBelow).array());
        }
    }

    /** Trains what was handed in; outputs not sent yet go out after a restart, as they were never committed. */
    @Override
    public void close() {
        pipeline.close();
    }
}
