package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.DeadLetter;
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
    /** Writes the test-then-train predictions, or null when the learner makes none. */
    private final Predictions predictions;

    /** One output for a sink of the topology, keyed by a step or offset, or a prediction by its input's key. */
    record Forward(String sink, Object key, SpecificRecord value) {
    }

    /**
     * Everything one input record produced, sent together so a commit never splits it: the records for the sinks
     * and, when the record closed a snapshot interval, the model store's new checkpoint.
     */
    record Emission(long offset, List<Forward> forwards, byte[] storeCheckpoint) {
    }

    /**
     * Whether this trainer dead-letters the records it refuses for what they hold: with a sweep only the first variant
     * does, so a bad record is one dead letter, not one per variant; a step a variant's own model makes non-finite is
     * dead-lettered by that variant, naming it.
     */
    private final boolean deadLettersRecords;

    /** Records are checked against the model the loop trains, which a restored snapshot decides, not the flags. */
    RecordTrainer(LearnerConfig config, TrainingLoop loop) {
        this(config, loop, true);
    }

    RecordTrainer(LearnerConfig config, TrainingLoop loop, boolean deadLettersRecords) {
        this.deadLettersRecords = deadLettersRecords;
        this.config = config;
        this.validator = new SampleValidator(loop.trainer().config(), config.inputFormat());
        this.loop = loop;
        this.predictions = config.predictions() ? new Predictions(loop.trainer().config(), config.predictionTop())
                : null;
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
        Forward prediction = null;
        if (!checked.accepted()) {
            result = loop.refuse(record.partition(), record.offset(), record.timestamp());
            if (emit && deadLettersRecords) {
                refusal = deadLetter(record, checked.stage(), checked.reason(), checked.cause(), null);
            }
        } else if (!checked.input().labelled()) {
            if (emit && predictions != null) {
                prediction = predict(record, checked.input(),
                        loop.trainer().network().answer(checked.input().modelInput()), loop.trainer().updates());
            }
            result = loop.passUnlabelled(record.partition(), record.offset(), record.timestamp());
        } else {
            long before = loop.trainer().updates();
            result = loop.train(checked.input(), record.partition(), record.offset(), record.timestamp());
            if (emit && predictions != null) {
                prediction = predict(record, checked.input(), loop.trainer().lastAnswer(), before);
            }
            if (emit && !result.outcome().applied()) {
                refusal = deadLetter(record, "train", "loss or gradient is not finite (loss "
                        + result.outcome().loss() + "); the update was not applied", null, config.applicationId());
            }
        }
        if (!emit) {
            return null;
        }
        Checkpoint checkpoint = result.storeSnapshot() || result.publishCheckpoint()
                ? ModelCheckpoint.take(config.applicationId(), record.topic(), record.partition(), record.offset() + 1,
                        loop)
                : null;
        if (refusal == null && prediction == null && result.summary() == null && checkpoint == null) {
            return null;
        }
        long step = result.step();
        List<Forward> forwards = new ArrayList<>(4 + result.alerts().size());
        if (prediction != null) {
            forwards.add(prediction);
        }
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

    /** The prediction the model made for a record before it learned from it (if it learned from it at all). */
    private Forward predict(InputRecord record, TrainingInput input, float[] answer, long step) {
        return new Forward(LearnerTopology.PREDICTION_SINK, record.key(),
                predictions.of(record, config.applicationId(), step, answer, input));
    }

    private static Forward deadLetter(InputRecord record, String stage, String reason, Throwable cause,
                                      String learner) {
        DeadLetter letter = DeadLetters.of(record, stage, reason, cause);
        letter.setLearner(learner);
        return new Forward(LearnerTopology.DEAD_LETTER_SINK, record.offset(), letter);
    }
}
