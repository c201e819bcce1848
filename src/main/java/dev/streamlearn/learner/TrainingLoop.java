package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.diagnosis.Diagnosis;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.StepOutcome;
import java.util.List;
import java.util.function.Supplier;

/**
 * The learner's work on one accepted sample, without Kafka: the SGD step, and every periodic output that follows
 * from it, all decided here: the update-ratio capture and the summary with its diagnosis every summary interval,
 * held-out evaluation, the model store's snapshot and the checkpoint topic's checkpoint. The record trainer feeds it
 * decoded samples; tests and scenarios feed it arrays.
 */
final class TrainingLoop {
    private final OnlineTrainer trainer;
    private final Cadence cadence;
    private final SummaryFactory summaries;
    private final Supplier<TestSet> heldOut;
    private final Diagnosis diagnosis = new Diagnosis();
    /** Where the open window's records came from: kept as fields, as a record per step would be garbage per step. */
    private boolean windowOpen;
    private int windowPartition;
    private long windowFirstOffset;
    private long windowLastOffset;
    private long windowFirstEventTime;
    private long windowLastEventTime;
    private long windowStartNanos;
    private long rejected;
    private long skipped;
    private BatchEvaluator evaluator;

    /**
     * How often each periodic output is made, in applied steps.
     *
     * @param summary a summary (and its diagnosis) every this many steps, > 0
     * @param evaluation held-out accuracy in the summary every this many steps, 0 = never
     * @param snapshot a snapshot for the model store every this many steps, 0 = never
     * @param checkpoint a checkpoint for the checkpoint topic every this many steps, 0 = never
     */
    record Cadence(int summary, int evaluation, int snapshot, int checkpoint) {
        static Cadence of(LearnerConfig config) {
            return new Cadence(config.summaryInterval(), config.evaluationInterval(), config.snapshotInterval(),
                    config.checkpointInterval());
        }

        /** Summaries only: for loops that train without a store or topics. */
        static Cadence summariesEvery(int summary) {
            return new Cadence(summary, 0, 0, 0);
        }

        private static boolean due(int interval, long step) {
            return interval > 0 && step % interval == 0;
        }
    }

    /**
     * What one sample produced: the step, its number, and when it closed an interval the summary with its alert
     * transitions, and the checkpoint with where it goes (the model store, the checkpoint topic, or both).
     */
    record Result(StepOutcome outcome, long step, TrainingSummary summary, List<Alert> alerts,
                  ModelCheckpoint checkpoint, boolean storeSnapshot, boolean publishCheckpoint) {
    }

    TrainingLoop(OnlineTrainer trainer, Cadence cadence, SummaryFactory summaries, Supplier<TestSet> heldOut) {
        this.trainer = trainer;
        this.cadence = cadence;
        this.summaries = summaries;
        this.heldOut = heldOut;
    }

    OnlineTrainer trainer() {
        return trainer;
    }

    /** Counts a record refused before it reached the model. */
    void countRejected() {
        rejected++;
    }

    Result train(byte[] pixels, int label, int partition, long offset, long timestamp) {
        // The summary reports the update ratio of its window's last step: capture it during that step.
        if (Cadence.due(cadence.summary(), trainer.updates() + 1)) {
            trainer.captureNextUpdate();
        }
        StepOutcome outcome = trainer.step(pixels, label);
        long step = trainer.updates();
        if (!outcome.applied()) {
            skipped++;
            return new Result(outcome, step, null, List.of(), null, false, false);
        }
        if (!windowOpen) {
            windowOpen = true;
            windowPartition = partition;
            windowFirstOffset = offset;
            windowFirstEventTime = timestamp;
            windowStartNanos = System.nanoTime();
        }
        windowLastOffset = offset;
        windowLastEventTime = timestamp;
        TrainingSummary summary = null;
        List<Alert> transitions = List.of();
        if (Cadence.due(cadence.summary(), step)) {
            summary = summarise();
            transitions = diagnosis.observe(summary);
            summary.setAlerts(diagnosis.activeRules());
        }
        boolean storeSnapshot = Cadence.due(cadence.snapshot(), step);
        boolean publishCheckpoint = Cadence.due(cadence.checkpoint(), step);
        ModelCheckpoint checkpoint = storeSnapshot || publishCheckpoint ? ModelCheckpoint.of(trainer, offset + 1)
                : null;
        return new Result(outcome, step, summary, transitions, checkpoint, storeSnapshot, publishCheckpoint);
    }

    private TrainingSummary summarise() {
        SummaryFactory.WindowSpan span = new SummaryFactory.WindowSpan(windowPartition, windowFirstOffset,
                windowLastOffset, windowFirstEventTime, windowLastEventTime, windowStartNanos);
        TrainingSummary summary = summaries.build(trainer, span, rejected, skipped);
        if (Cadence.due(cadence.evaluation(), trainer.updates())) {
            summary.setTestAccuracy(evaluate());
        }
        trainer.window().reset();
        windowOpen = false;
        return summary;
    }

    private Double evaluate() {
        TestSet testSet = heldOut.get();
        if (testSet == null || testSet.size() == 0) {
            return null;
        }
        if (evaluator == null) {
            evaluator = new BatchEvaluator(trainer.network(), 1000);
        }
        return evaluator.accuracy(testSet.pixels(), testSet.labels());
    }
}
