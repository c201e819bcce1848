package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.AveragingRound;
import dev.streamlearn.avro.DriftDetection;
import dev.streamlearn.avro.DriftState;
import dev.streamlearn.avro.LearnerState;
import dev.streamlearn.avro.RegressionState;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.avro.WindowState;
import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.diagnosis.Diagnosis;
import dev.streamlearn.diagnosis.PageHinkley;
import dev.streamlearn.diagnosis.ScaledError;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.StepOutcome;
import dev.streamlearn.model.TrainingWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The learner's work on each input record, without Kafka: the SGD step of an accepted sample, the count of a refused
 * record, and every periodic output that follows, all decided here: the update-ratio capture and the summary with
 * its diagnosis, held-out evaluation, the model store's snapshot and the checkpoint topic's checkpoint. Its whole
 * state ({@link #state()}) goes into each snapshot, so a restored loop's outputs are those of one never stopped.
 */
final class TrainingLoop {
    /** The concept-drift test on the prequential error; its parameters are documented on {@link PageHinkley}. */
    static final PageHinkley DRIFT_TEST = PageHinkley.DEFAULT;

    private final OnlineTrainer trainer;
    private final Cadence cadence;
    private final SummaryFactory summaries;
    private final Supplier<TestSet> heldOut;
    private Diagnosis diagnosis = new Diagnosis();
    /** Where the open window's records came from: kept as fields, as a record per step would be garbage per step. */
    private boolean windowOpen;
    private int windowPartition;
    private long windowFirstOffset;
    private long windowLastOffset;
    private long windowFirstEventTime;
    private long windowLastEventTime;
    private long windowStartNanos;
    /** Records running that reached no update; a summary interval of them closes the window without a step. */
    private long unappliedRun;
    private long rejected;
    private long skipped;
    private long unlabelled;
    private long recordsSinceSnapshot;
    private BatchEvaluator evaluator;
    /** With averaged partitioning, the last round the model took part in, reported in every summary; else null. */
    private AveragingRound averaging;
    private final DriftResponse onDrift;
    private final PageHinkley.Running drift = DRIFT_TEST.start();
    /** A numeric head's error on the detector's scale, with its estimates and targets of a step; null for classes. */
    private final ScaledError scaledError;
    private final double[] estimates;
    private final double[] targets;
    /** A drift signalled in the open window, reported by its summary; null when none was. */
    private DriftDetection pendingDrift;
    /** The newest summary made here, for the leaderboard's window figures; not state: a restored loop has none. */
    private TrainingSummary lastSummary;

    /**
     * How often each periodic output is made.
     *
     * @param summary a summary (and its diagnosis) every this many applied steps, and after this many records running
     *                that reached no update (so a model that refuses everything is still seen), > 0
     * @param evaluation held-out accuracy in the summary every this many steps, 0 = never
     * @param snapshot a snapshot for the model store every this many input records, whatever became of them, 0 = never
     * @param checkpoint a checkpoint for the checkpoint topic every this many steps, 0 = never
     */
    record Cadence(int summary, int evaluation, int snapshot, int checkpoint) {
        /** An averaged replica's snapshots are taken as each round is applied, not by this cadence. */
        static Cadence of(LearnerConfig config) {
            int snapshot = config.partitioning() == Partitioning.AVERAGED ? 0 : config.snapshotInterval();
            return new Cadence(config.summaryInterval(), config.evaluationInterval(), snapshot,
                    config.checkpointInterval());
        }

        /** Summaries only: for loops that train without a store or topics. */
        static Cadence summariesEvery(int summary) {
            return new Cadence(summary, 0, 0, 0);
        }

        private static boolean due(int interval, long count) {
            return interval > 0 && count % interval == 0;
        }
    }

    /**
     * What one record produced: the step's outcome (null for a refused record), the step count, and when it closed an
     * interval the summary with its alert transitions, and whether a snapshot is due for the model store, the
     * checkpoint topic, or both.
     */
    record Result(StepOutcome outcome, long step, TrainingSummary summary, List<Alert> alerts,
                  boolean storeSnapshot, boolean publishCheckpoint) {
    }

    TrainingLoop(OnlineTrainer trainer, Cadence cadence, SummaryFactory summaries, Supplier<TestSet> heldOut) {
        this(trainer, cadence, summaries, heldOut, DriftResponse.NOTHING);
    }

    TrainingLoop(OnlineTrainer trainer, Cadence cadence, SummaryFactory summaries, Supplier<TestSet> heldOut,
                 DriftResponse onDrift) {
        this.trainer = trainer;
        this.cadence = cadence;
        this.summaries = summaries;
        this.heldOut = heldOut;
        this.onDrift = onDrift;
        int outputs = trainer.config().outputSize();
        boolean numeric = trainer.config().loss().isNumeric();
        this.scaledError = numeric ? new ScaledError(outputs) : null;
        this.estimates = numeric ? new double[outputs] : null;
        this.targets = numeric ? new double[outputs] : null;
    }

    OnlineTrainer trainer() {
        return trainer;
    }

    /** An averaging round has been applied to the model (or restored with it). */
    void roundApplied(AveragingRound round) {
        averaging = round;
    }

    AveragingRound averaging() {
        return averaging;
    }

    /** One accepted image: the step, then whatever it made due. */
    Result train(byte[] pixels, int label, int partition, long offset, long timestamp) {
        armCapture();
        return afterStep(trainer.step(pixels, label), partition, offset, timestamp);
    }

    /** One accepted input: the step its kind and target call for, then whatever it made due. */
    Result train(TrainingInput input, int partition, long offset, long timestamp) {
        armCapture();
        StepOutcome outcome;
        if (input.kind == TrainingInput.Kind.PIXELS) {
            outcome = trainer.step(input.pixels, input.label);
        } else if (input.numeric) {
            outcome = trainer.step(input.features, input.targets, input.weight);
        } else {
            outcome = trainer.step(input.features, input.label, input.weight);
        }
        return afterStep(outcome, partition, offset, timestamp);
    }

    /** The summary reports the update ratio of its window's last step: capture it during that step. */
    private void armCapture() {
        if (Cadence.due(cadence.summary(), trainer.updates() + 1)) {
            trainer.captureNextUpdate();
        }
    }

    private Result afterStep(StepOutcome outcome, int partition, long offset, long timestamp) {
        see(partition, offset, timestamp);
        if (!outcome.applied()) {
            skipped++;
            return unapplied(outcome);
        }
        unappliedRun = 0;
        long step = trainer.updates();
        if (scaledError != null) {
            watchForDrift(numericError(), step);
        } else {
            watchForDrift(outcome.predicted() != outcome.target() ? 1 : 0, step);
        }
        TrainingSummary summary = null;
        List<Alert> transitions = List.of();
        if (Cadence.due(cadence.summary(), step)) {
            summary = summarise(Cadence.due(cadence.evaluation(), step));
            transitions = diagnose(summary);
        }
        return new Result(outcome, step, summary, transitions, snapshotDue(), Cadence.due(cadence.checkpoint(), step));
    }

    /** The step's estimates against its targets, on the detector's scale. */
    private double numericError() {
        for (int i = 0; i < estimates.length; i++) {
            estimates[i] = trainer.network().estimate(i);
            targets[i] = trainer.network().numericTarget(i);
        }
        return scaledError.observe(estimates, targets);
    }

    /**
     * Feeds the prequential error of a step to the drift detector; on a signal, records the change for the
     * window's summary, responds as configured (after the step that signalled, so the model that erred is the one the
     * step changed) and starts the detector afresh.
     */
    private void watchForDrift(double error, long step) {
        if (!drift.observe(error)) {
            return;
        }
        PageHinkley.Change change = drift.change();
        switch (onDrift.kind()) {
            case NOTHING -> { }
            case RESET_OPTIMISER -> trainer.resetOptimiser();
            case BOOST_LR -> trainer.boostLearningRate(onDrift.factor(), onDrift.steps());
        }
        pendingDrift = DriftDetection.newBuilder().setStep(step).setErrorBefore(change.before())
                .setErrorAfter(change.after()).setAction(onDrift.text()).build();
        drift.reset();
    }

    /** One record refused before it reached the model: counted, and it may close a window or be due a snapshot. */
    Result refuse(int partition, long offset, long timestamp) {
        rejected++;
        see(partition, offset, timestamp);
        return unapplied(null);
    }

    /** One valid record with no target: counted, not learned (it may close a window or be due a snapshot). */
    Result passUnlabelled(int partition, long offset, long timestamp) {
        unlabelled++;
        see(partition, offset, timestamp);
        return unapplied(null);
    }

    private void see(int partition, long offset, long timestamp) {
        if (!windowOpen) {
            windowOpen = true;
            windowPartition = partition;
            windowFirstOffset = offset;
            windowFirstEventTime = timestamp;
            windowStartNanos = System.nanoTime();
        }
        windowLastOffset = offset;
        windowLastEventTime = timestamp;
    }

    private Result unapplied(StepOutcome outcome) {
        unappliedRun++;
        TrainingSummary summary = null;
        List<Alert> transitions = List.of();
        if (unappliedRun == cadence.summary()) {
            summary = summarise(false);
            transitions = diagnose(summary);
        }
        return new Result(outcome, trainer.updates(), summary, transitions, snapshotDue(), false);
    }

    private boolean snapshotDue() {
        recordsSinceSnapshot++;
        if (Cadence.due(cadence.snapshot(), recordsSinceSnapshot)) {
            recordsSinceSnapshot = 0;
            return true;
        }
        return false;
    }

    private TrainingSummary summarise(boolean evaluate) {
        SummaryFactory.WindowSpan span = new SummaryFactory.WindowSpan(windowPartition, windowFirstOffset,
                windowLastOffset, windowFirstEventTime, windowLastEventTime, windowStartNanos);
        TrainingSummary summary = summaries.build(trainer, span,
                new SummaryFactory.Counts(rejected, skipped, unlabelled));
        summary.setAveraging(averaging);
        summary.setDrift(pendingDrift);
        pendingDrift = null;
        if (evaluate) {
            evaluate(summary);
        }
        trainer.window().reset();
        windowOpen = false;
        unappliedRun = 0;
        lastSummary = summary;
        return summary;
    }

    /** The diagnosis of a summary: its alert transitions, each naming the partition whose model it is about. */
    private List<Alert> diagnose(TrainingSummary summary) {
        List<Alert> transitions = diagnosis.observe(summary);
        for (Alert transition : transitions) {
            transition.setPartition(summary.getInputPartition());
            if (transition.getRule().equals(Catalogue.CONCEPT_DRIFT.name())
                    && transition.getState() == AlertState.RAISED && summary.getDrift() != null) {
                DriftDetection detected = summary.getDrift();
                transition.setStep(detected.getStep());
                transition.setExplanation(String.format(Locale.ROOT, "%s: at step %d the %s rose from %.3f to %.3f",
                        transition.getExplanation(), detected.getStep(), scaledError == null ? "error rate"
                                : "error (in standard deviations of the target, capped at 1)",
                        detected.getErrorBefore(), detected.getErrorAfter()));
            }
        }
        summary.setAlerts(diagnosis.activeRules());
        return transitions;
    }

    /** Held-out accuracy, or for a numeric head MAE, RMSE and R-squared, into the summary. */
    private void evaluate(TrainingSummary summary) {
        TestSet testSet = heldOut.get();
        if (testSet == null || testSet.size() == 0) {
            return;
        }
        if (evaluator == null) {
            evaluator = new BatchEvaluator(trainer.network(), 1000);
        }
        if (summary.getRegression() != null) {
            BatchEvaluator.Errors errors = evaluator.errors(testSet.inputs(), testSet.targets());
            summary.getRegression().setTestMae(errors.mae());
            summary.getRegression().setTestRmse(errors.rmse());
            summary.getRegression().setTestR2(errors.r2());
        } else {
            summary.setTestAccuracy(evaluator.accuracy(testSet.inputs(), testSet.labels()));
        }
    }

    LiveModel.Progress progress() {
        return new LiveModel.Progress(rejected, skipped, unlabelled, diagnosis.activeRules(), lastSummary);
    }

    /** Everything besides the model that the loop's next outputs depend on. */
    LearnerState state() {
        TrainingWindow.State window = trainer.window().state();
        List<List<Double>> units = new ArrayList<>(window.unitGradientAbs().length);
        for (double[] layer : window.unitGradientAbs()) {
            units.add(doubles(layer));
        }
        WindowState windowState = WindowState.newBuilder()
                .setOpen(windowOpen).setPartition(windowPartition)
                .setFirstOffset(windowFirstOffset).setLastOffset(windowLastOffset)
                .setFirstEventTime(windowFirstEventTime).setLastEventTime(windowLastEventTime)
                .setUnappliedRun(unappliedRun)
                .setSteps(window.steps()).setLossSum(window.lossSum()).setCorrect(window.correct())
                .setActivationSum(doubles(window.activationSum()))
                .setActivationSquares(doubles(window.activationSquares()))
                .setActivationCount(longs(window.activationCount()))
                .setDead(longs(window.dead())).setSaturated(longs(window.saturated()))
                .setUnitGradientAbs(units).setGradientMeanAbs(doubles(window.gradientMeanAbs()))
                .setRegression(regressionState(window.regression()))
                .build();
        PageHinkley.State detector = drift.state();
        DriftState.Builder driftState = DriftState.newBuilder().setCount(detector.count()).setMean(detector.mean())
                .setCumulative(detector.cumulative()).setMinimum(detector.minimum())
                .setLevel(detector.level()).setLastMark(detector.lastMark()).setPreviousMark(detector.previousMark())
                .setRecent(detector.recent()).setPending(pendingDrift)
                .setBoostFactor(trainer.boostFactor()).setBoostUntil(trainer.boostUntil());
        if (scaledError != null) {
            ScaledError.State spread = scaledError.state();
            driftState.setTargetCount(spread.count()).setTargetMean(doubles(spread.mean()))
                    .setTargetSquaredDeviations(doubles(spread.squaredDeviations()));
        }
        return LearnerState.newBuilder().setRejectedRecords(rejected).setSkippedUpdates(skipped)
                .setUnlabelledRecords(unlabelled)
                .setWindow(windowState).setDiagnosis(diagnosis.state()).setDrift(driftState.build()).build();
    }

    /** Goes on from a saved state (a window's wall-clock start is now: rates are measured, not replayed). */
    void restore(LearnerState state) {
        WindowState window = state.getWindow();
        double[][] units = new double[window.getUnitGradientAbs().size()][];
        for (int l = 0; l < units.length; l++) {
            units[l] = doubles(window.getUnitGradientAbs().get(l));
        }
        trainer.window().restore(new TrainingWindow.State(window.getSteps(), window.getLossSum(), window.getCorrect(),
                doubles(window.getActivationSum()), doubles(window.getActivationSquares()),
                longs(window.getActivationCount()), longs(window.getDead()), longs(window.getSaturated()), units,
                doubles(window.getGradientMeanAbs()), regressionState(window.getRegression())));
        windowOpen = window.getOpen();
        windowPartition = window.getPartition();
        windowFirstOffset = window.getFirstOffset();
        windowLastOffset = window.getLastOffset();
        windowFirstEventTime = window.getFirstEventTime();
        windowLastEventTime = window.getLastEventTime();
        windowStartNanos = System.nanoTime();
        unappliedRun = window.getUnappliedRun();
        rejected = state.getRejectedRecords();
        skipped = state.getSkippedUpdates();
        unlabelled = state.getUnlabelledRecords();
        diagnosis = Diagnosis.restore(state.getDiagnosis());
        DriftState saved = state.getDrift();
        if (saved != null) {
            drift.restore(new PageHinkley.State(saved.getCount(), saved.getMean(), saved.getCumulative(),
                    saved.getMinimum(), saved.getLevel(), saved.getLastMark(), saved.getPreviousMark(),
                    saved.getRecent()));
            pendingDrift = saved.getPending();
            trainer.restoreBoost(saved.getBoostFactor(), saved.getBoostUntil());
            if (scaledError != null) {
                scaledError.restore(new ScaledError.State(saved.getTargetCount(), doubles(saved.getTargetMean()),
                        doubles(saved.getTargetSquaredDeviations())));
            }
        }
    }

    private static RegressionState regressionState(TrainingWindow.RegressionState numbers) {
        return RegressionState.newBuilder().setCount(numbers.count()).setAbsError(numbers.absError())
                .setSquaredError(numbers.squaredError()).setEstimateSum(numbers.estimateSum())
                .setEstimateSquares(numbers.estimateSquares()).setTargetSum(numbers.targetSum())
                .setTargetSquares(numbers.targetSquares()).setTotalCount(numbers.totalCount())
                .setTotalAbsError(numbers.totalAbsError()).setTotalSquaredError(numbers.totalSquaredError())
                .setRecentEstimates(floats(numbers.recentEstimates())).setRecentTargets(floats(numbers.recentTargets()))
                .build();
    }

    private static TrainingWindow.RegressionState regressionState(RegressionState numbers) {
        return new TrainingWindow.RegressionState(numbers.getCount(), numbers.getAbsError(),
                numbers.getSquaredError(), numbers.getEstimateSum(), numbers.getEstimateSquares(),
                numbers.getTargetSum(), numbers.getTargetSquares(), numbers.getTotalCount(),
                numbers.getTotalAbsError(), numbers.getTotalSquaredError(), floats(numbers.getRecentEstimates()),
                floats(numbers.getRecentTargets()));
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(value);
        }
        return list;
    }

    private static float[] floats(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    private static List<Double> doubles(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static List<Long> longs(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static long[] longs(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
