package dev.streamlearn.learner;

import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.kafka.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;

/** The dead letter of a refused input record, for the learner and for streaming inference alike. */
public final class DeadLetters {
    /** Key and value bytes a dead letter keeps at most: a record's limit less room for its other fields. */
    static final int MAX_KEPT_BYTES = Topics.MAX_RECORD_BYTES - 64 * 1024;

    private DeadLetters() {
    }

    /**
     * The record's key and value, or as much of them as fits in a Kafka record with the letter's other fields (a
     * record near the broker's limit would not fit otherwise), where it was refused and why, and what was cut.
     */
    public static DeadLetter of(InputRecord record, String stage, String reason, Throwable cause) {
        byte[] key = record.key();
        byte[] value = record.value();
        int keyKept = key == null ? 0 : Math.min(key.length, MAX_KEPT_BYTES);
        int valueKept = value == null ? 0 : Math.min(value.length, MAX_KEPT_BYTES - keyKept);
        String cut = "";
        if (key != null && keyKept < key.length || value != null && valueKept < value.length) {
            cut = " (too large for a dead letter: kept the first " + keyKept + " of " + (key == null ? 0 : key.length)
                    + " key bytes and " + valueKept + " of " + (value == null ? 0 : value.length) + " value bytes)";
        }
        return DeadLetter.newBuilder()
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
    }
}
