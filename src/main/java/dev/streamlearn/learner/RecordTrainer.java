package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.kafka.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Trains on one input record as it came off the topic and says what it produced: a dead letter when the record is
 * refused or its step would not be finite (the model untouched), and the outputs the {@link TrainingLoop} made due
 * (summary and alert transitions, the model store's snapshot, the checkpoint topic's checkpoint). Anything a record
 * holds is caught by the validator; what is thrown after it is the learner's own fault. It touches no Kafka client:
 * the processor sends what it returns.
 */
final class RecordTrainer {
    private final LearnerConfig config;
    private final SampleValidator validator;
    private final TrainingLoop loop;
    /** Key and value bytes a dead letter keeps at most: a record's limit less room for its other fields. */
    static final int DEAD_LETTER_BYTES = Topics.MAX_RECORD_BYTES - 64 * 1024;

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
        this.validator = new SampleValidator(loop.trainer().config(), config.inputFormat());
        this.loop = loop;
    }

    TrainingLoop loop() {
        return loop;
    }

    /**
     * Trains on one record. With emit false (catching up after a restore) only the learner's state changes, and null
     * comes back: that record's outputs were committed the first time. Otherwise null means the record produced
     * nothing.
     */
    Emission train(InputRecord record, boolean emit) {
        SampleValidator.Checked checked = validator.check(record.value());
        TrainingLoop.Result result;
        Forward refusal = null;
        if (!checked.accepted()) {
            result = loop.refuse(record.partition(), record.offset(), record.timestamp());
            if (emit) {
                refusal = deadLetter(record, checked.stage(), checked.reason(), checked.cause());
            }
        } else if (!checked.input().labelled()) {
            result = loop.passUnlabelled(record.partition(), record.offset(), record.timestamp());
        } else {
            result = loop.train(checked.input(), record.partition(), record.offset(), record.timestamp());
            if (emit && !result.outcome().applied()) {
                refusal = deadLetter(record, "train", "loss or gradient is not finite (loss "
                        + result.outcome().loss() + "); the update was not applied", null);
            }
        }
        if (!emit) {
            return null;
        }
        Checkpoint checkpoint = result.storeSnapshot() || result.publishCheckpoint()
                ? ModelCheckpoint.take(config.applicationId(), record.topic(), record.partition(), record.offset() + 1,
                        loop)
                : null;
        if (refusal == null && result.summary() == null && checkpoint == null) {
            return null;
        }
        long step = result.step();
        List<Forward> forwards = new ArrayList<>(3 + result.alerts().size());
        if (refusal != null) {
            forwards.add(refusal);
        }
        if (result.summary() != null) {
            forwards.add(new Forward(LearnerTopology.SUMMARY_SINK, step, result.summary()));
        }
        for (Alert alert : result.alerts()) {
            forwards.add(new Forward(LearnerTopology.ALERT_SINK, step, alert));
        }
        if (result.publishCheckpoint()) {
            forwards.add(new Forward(LearnerTopology.CHECKPOINT_SINK, step, checkpoint));
        }
        byte[] storeCheckpoint = result.storeSnapshot() ? ModelCheckpoint.toBytes(checkpoint) : null;
        return new Emission(record.offset(), forwards, storeCheckpoint);
    }

    /**
     * A dead letter keeps the record's key and value, or as much of them as fits in a Kafka record with the letter's
     * other fields (a record near the broker's limit would not fit otherwise), and says what it cut.
     */
    private static Forward deadLetter(InputRecord record, String stage, String reason, Throwable cause) {
        byte[] key = record.key();
        byte[] value = record.value();
        int keyKept = key == null ? 0 : Math.min(key.length, DEAD_LETTER_BYTES);
        int valueKept = value == null ? 0 : Math.min(value.length, DEAD_LETTER_BYTES - keyKept);
        String cut = "";
        if (key != null && keyKept < key.length || value != null && valueKept < value.length) {
            cut = " (too large for a dead letter: kept the first " + keyKept + " of " + (key == null ? 0 : key.length)
                    + " key bytes and " + valueKept + " of " + (value == null ? 0 : value.length) + " value bytes)";
        }
        DeadLetter letter = DeadLetter.newBuilder()
                .setKey(key == null ? null : ByteBuffer.wrap(key, 0, keyKept))
                .setValue(value == null ? null : ByteBuffer.wrap(value, 0, valueKept))
                .setTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setTimestamp(Instant.ofEpochMilli(record.timestamp()))
                .setStage(stage)
                .setReason(reason + cut)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .build();
        return new Forward(LearnerTopology.DEAD_LETTER_SINK, record.offset(), letter);
    }
}
