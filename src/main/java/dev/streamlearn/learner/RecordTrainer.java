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
 * refused or its step would not be finite (the model untouched), every summary interval a summary and its alert
 * transitions, every snapshot interval a checkpoint for the model store, every checkpoint interval one for the
 * checkpoint topic. It touches no Kafka client: the processor sends what it returns.
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
    record Emission(long offset, long timestamp, List<Forward> forwards, byte[] storeCheckpoint) {
    }

    RecordTrainer(LearnerConfig config, TrainingLoop loop) {
        this.config = config;
        this.validator = new SampleValidator(config.model());
        this.loop = loop;
        this.pixels = new byte[config.model().inputSize()];
    }

    TrainingLoop loop() {
        return loop;
    }

    /**
     * Trains on one record. With emit false (catching up after a restore) only the model changes, and null comes
     * back: that record's outputs were committed the first time. Otherwise null means the record produced nothing.
     */
    Emission train(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp,
                   boolean emit) {
        SampleValidator.Checked checked = validator.check(value);
        if (!checked.accepted()) {
            loop.countRejected();
            return emit ? deadLetter(key, value, topic, partition, offset, timestamp, checked.stage(),
                    checked.reason(), checked.cause()) : null;
        }
        Sample sample = checked.sample();
        sample.getPixels().duplicate().get(pixels);
        TrainingLoop.Result result = loop.train(pixels, sample.getLabel(), partition, offset, timestamp);
        if (!emit) {
            return null;
        }
        if (!result.outcome().applied()) {
            return deadLetter(key, value, topic, partition, offset, timestamp, "train", "loss or gradient is not "
                    + "finite (loss " + result.outcome().loss() + "); the update was not applied", null);
        }
        long step = loop.trainer().updates();
        boolean storeSnapshot = step % config.snapshotInterval() == 0;
        boolean topicCheckpoint = config.checkpointInterval() > 0 && step % config.checkpointInterval() == 0;
        if (result.summary() == null && !storeSnapshot && !topicCheckpoint) {
            return null;
        }
        List<Forward> forwards = new ArrayList<>(2 + result.alerts().size());
        if (result.summary() != null) {
            forwards.add(new Forward(LearnerTopology.SUMMARY_SINK, step, result.summary()));
        }
        for (Alert alert : result.alerts()) {
            forwards.add(new Forward(LearnerTopology.ALERT_SINK, step, alert));
        }
        byte[] storeCheckpoint = null;
        if (storeSnapshot || topicCheckpoint) {
            ModelCheckpoint checkpoint = ModelCheckpoint.of(loop.trainer(), offset + 1);
            if (storeSnapshot) {
                storeCheckpoint = checkpoint.toBytes();
            }
            if (topicCheckpoint) {
                forwards.add(new Forward(LearnerTopology.CHECKPOINT_SINK, step,
                        checkpoint.toAvro(config.applicationId(), topic, partition, loop.trainer())));
            }
        }
        return new Emission(offset, timestamp, forwards, storeCheckpoint);
    }

    private static Emission deadLetter(byte[] key, byte[] value, String topic, int partition, long offset,
                                       long timestamp, String stage, String reason, Throwable cause) {
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
        return new Emission(offset, timestamp, List.of(new Forward(LearnerTopology.DEAD_LETTER_SINK, offset, letter)),
                null);
    }
}
