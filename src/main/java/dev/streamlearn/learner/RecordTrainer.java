package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Sample;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Trains on one input record as it came off the topic and says what it produced: a dead letter when the record is
 * refused or its step would not be finite (the model untouched), and the outputs the {@link TrainingLoop} made due
 * (summary and alert transitions, the model store's snapshot, the checkpoint topic's checkpoint). It touches no
 * Kafka client: the processor sends what it returns.
 */
final class RecordTrainer {
    private final LearnerConfig config;
    private final SampleValidator validator;
    private final TrainingLoop loop;
    private final byte[] pixels;

    /** One output for a sink of the topology. */
    record Forward(String sink, long key, SpecificRecord value) {
    }

    /**
     * Everything one input record produced, sent together so a commit never splits it: the records for the sinks
     * and, when the record closed a snapshot interval, the model store's new checkpoint.
     */
    record Emission(long offset, List<Forward> forwards, byte[] storeCheckpoint) {
    }

    /** Records are checked against the model the loop trains, which a restored snapshot decides, not the flags. */
    RecordTrainer(LearnerConfig config, TrainingLoop loop) {
        this.config = config;
        this.validator = new SampleValidator(loop.trainer().config());
        this.loop = loop;
        this.pixels = new byte[loop.trainer().config().inputSize()];
    }

    TrainingLoop loop() {
        return loop;
    }

    /**
     * Trains on one record. With emit false (catching up after a restore) only the model changes, and null comes
     * back: that record's outputs were committed the first time. Otherwise null means the record produced nothing.
     */
    Emission train(InputRecord record, boolean emit) {
        SampleValidator.Checked checked = validator.check(record.value());
        if (!checked.accepted()) {
            loop.countRejected();
            return emit ? deadLetter(record, checked.stage(), checked.reason(), checked.cause()) : null;
        }
        Sample sample = checked.sample();
        sample.getPixels().duplicate().get(pixels);
        TrainingLoop.Result result = loop.train(pixels, sample.getLabel(), record.partition(), record.offset(),
                record.timestamp());
        if (!emit) {
            return null;
        }
        if (!result.outcome().applied()) {
            return deadLetter(record, "train", "loss or gradient is not finite (loss " + result.outcome().loss()
                    + "); the update was not applied", null);
        }
        if (result.summary() == null && result.checkpoint() == null) {
            return null;
        }
        long step = result.step();
        List<Forward> forwards = new ArrayList<>(2 + result.alerts().size());
        if (result.summary() != null) {
            forwards.add(new Forward(LearnerTopology.SUMMARY_SINK, step, result.summary()));
        }
        for (Alert alert : result.alerts()) {
            forwards.add(new Forward(LearnerTopology.ALERT_SINK, step, alert));
        }
        if (result.publishCheckpoint()) {
            forwards.add(new Forward(LearnerTopology.CHECKPOINT_SINK, step, result.checkpoint().toAvro(
                    config.applicationId(), record.topic(), record.partition(), loop.trainer())));
        }
        byte[] storeCheckpoint = result.storeSnapshot() ? result.checkpoint().toBytes() : null;
        return new Emission(record.offset(), forwards, storeCheckpoint);
    }

    private static Emission deadLetter(InputRecord record, String stage, String reason, Throwable cause) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setTimestamp(Instant.ofEpochMilli(record.timestamp()))
                .setStage(stage)
                .setReason(reason)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .build();
        return new Emission(record.offset(), List.of(new Forward(LearnerTopology.DEAD_LETTER_SINK, record.offset(),
                letter)), null);
    }
}
