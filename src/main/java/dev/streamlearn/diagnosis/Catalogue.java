package dev.streamlearn.diagnosis;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.Severity;
import dev.streamlearn.avro.TensorRole;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.OptionalInt;

/**
 * Every diagnosis rule and its thresholds. A healthy layer updates its weights by about 1e-3 of their norm per step
 * (Karpathy's rule of thumb, the DL4J UI's update:parameter ratio); the thresholds sit orders of magnitude away from
 * that band so a healthy run stays silent.
 */
public final class Catalogue {
    static final Threshold EXPLODING_UPDATE_RATIO = new Threshold("update-ratio", 0.1);
    static final Threshold EXPLODING_GRADIENT_NORM = new Threshold("gradient-norm", 1e3);
    /** First-layer mean |bias gradient| below this fraction of the output layer's: the error vanishes on the way. */
    static final Threshold VANISHING_GRADIENT_RATIO = new Threshold("gradient-ratio", 1e-3);
    static final Threshold VANISHING_UPDATE_RATIO = new Threshold("update-ratio", 1e-5);
    static final Threshold VANISHING_RELATIVE_UPDATE = new Threshold("relative-update", 1e-2);
    static final Threshold SATURATED_FRACTION = new Threshold("saturated-fraction", 0.5);
    static final Threshold DEAD_UNIT_FRACTION = new Threshold("dead-fraction", 0.5);
    static final Threshold STALLED_UPDATE_RATIO = new Threshold("update-ratio", 1e-6);
    /** Window mean |gradient| below this on every weight tensor: the stall is not one easy last sample. */
    static final Threshold STALLED_GRADIENT = new Threshold("gradient", 1e-6);
    static final Threshold STALLED_IMPROVEMENT = new Threshold("improvement", 0.01);
    static final Threshold STALLED_SUMMARIES = new Threshold("summaries", 5);
    /** A window loss this many times the loss of guessing (ln K, or ln 2 for one output) means divergence. */
    static final Threshold CHANCE_LOSS_FACTOR = new Threshold("chance-factor", 4);
    static final Threshold SMOOTHED_CHANCE_LOSS_FACTOR = new Threshold("smoothed-factor", 2);
    static final Threshold SMOOTHED_WINDOWS = new Threshold("windows", 5);
    /** Estimates whose spread is under this fraction of the targets' answer the same whatever the input. */
    static final Threshold CONSTANT_SPREAD = new Threshold("spread", 0.05);
    static final Threshold CONSTANT_IMPROVEMENT = new Threshold("improvement", 0.05);
    static final Threshold CONSTANT_SUMMARIES = new Threshold("summaries", 5);
    /** Windows in each of the two spans a plateau compares (2,000 samples at the default interval). */
    static final Threshold PLATEAU_SPAN = new Threshold("span", 20);
    static final Threshold PLATEAU_IMPROVEMENT = new Threshold("improvement", 0.02);

    /** A NaN is never noise: one summary raises it. */
    public static final Rule NON_FINITE = new Rule("non-finite", Severity.CRITICAL, 1, 5, List.of(),
            "the loss, a weight or a gradient is NaN or infinite (those updates are refused)",
            "lower the learning rate, clip gradients (--clip-norm 5), and check the input for NaN",
            Catalogue::nonFinite);

    /** One step that moves a layer by a tenth of its norm already does the damage: one summary raises it. */
    public static final Rule EXPLODING = new Rule("exploding-gradients", Severity.CRITICAL, 1, 5,
            List.of(EXPLODING_UPDATE_RATIO, EXPLODING_GRADIENT_NORM),
            "a step changes a layer's weights by more than {update-ratio} of their norm (update ratio > "
                    + "{update-ratio}) or a gradient norm exceeds {gradient-norm}",
            "lower the learning rate 10x or clip gradients (--clip-norm 5)",
            Catalogue::exploding);

    public static final Rule VANISHING = new Rule("vanishing-gradients", Severity.WARNING, 3, 5,
            List.of(VANISHING_GRADIENT_RATIO, VANISHING_UPDATE_RATIO, VANISHING_RELATIVE_UPDATE),
            "the error reaching the first layer (its bias gradient) is under {gradient-ratio} of the output layer's, "
                    + "or its update ratio is under {update-ratio} (healthy is ~1e-3) and {relative-update} of the "
                    + "last layer's: early layers barely learn",
            "initialise for the activation (--init xavier-uniform for tanh/sigmoid, he-normal for ReLU), or use "
                    + "fewer layers",
            Catalogue::vanishing);

    public static final Rule SATURATION = new Rule("saturation", Severity.WARNING, 3, 5, List.of(SATURATED_FRACTION),
            "over {saturated-fraction} of a layer's sigmoid/tanh outputs sit on the flat tails (|tanh| > 0.99, "
                    + "sigmoid < 0.01 or > 0.99), where the derivative is ~0 and no gradient passes",
            "use a small symmetric init (--init xavier-uniform), do not apply a sigmoid before a with-logits loss, "
                    + "or normalise the inputs",
            Catalogue::saturation);

    public static final Rule DEAD_RELU = new Rule("dead-relu", Severity.WARNING, 3, 5, List.of(DEAD_UNIT_FRACTION),
            "over {dead-fraction} of a ReLU layer's units output 0 for every sample of the window, so they get no "
                    + "gradient and never recover",
            "lower the learning rate, use He init (--init he-normal), or --activation leaky-relu",
            Catalogue::deadRelu);

    public static final Rule STALLED = new Rule("stalled-weights", Severity.WARNING, 3, 5,
            List.of(STALLED_UPDATE_RATIO, STALLED_GRADIENT, STALLED_IMPROVEMENT, STALLED_SUMMARIES),
            "no weight tensor moves (update ratio < {update-ratio} and mean |gradient| over the window < {gradient} "
                    + "everywhere) while the loss EMA improves by less than {improvement} over {summaries} summaries: "
                    + "the gradient reaching the weights is ~0",
            "look for a saturated output (a sigmoid before a with-logits loss), a too-large init such as "
                    + "uniform(0, 1), or a learning rate far too small",
            Catalogue::stalled);

    /**
     * The regression symptom "the estimate converges to a fixed value, independent of the input": the estimates'
     * spread over a window is a sliver of the targets' while the loss does not fall.
     */
    public static final Rule CONSTANT_OUTPUT = new Rule("constant-output", Severity.WARNING, 3, 5,
            List.of(CONSTANT_SPREAD, CONSTANT_IMPROVEMENT, CONSTANT_SUMMARIES),
            "the estimates hardly depend on the input (their spread over the window is under {spread} of the "
                    + "targets') while the loss EMA improves by less than {improvement} over {summaries} summaries: "
                    + "the output has settled on a constant, usually the targets' mean",
            "let the signal reach the output: initialise for the activation (--init xavier-uniform, and "
                    + "--bias-init constant:0.1 for ReLU), or raise the learning rate",
            Catalogue::constantOutput);

    /**
     * Either condition is proof on its own (one is extreme, the other already averages several windows), so one
     * summary raises it. Both are anchored to the loss of guessing, not to the run's best loss: healthy per-sample
     * runs pass through easy stretches whose loss is a third of what follows.
     */
    public static final Rule UNSTABLE_LOSS = new Rule("unstable-loss", Severity.WARNING, 1, 5,
            List.of(CHANCE_LOSS_FACTOR, SMOOTHED_CHANCE_LOSS_FACTOR, SMOOTHED_WINDOWS),
            "the window loss is over {chance-factor}x the loss of guessing (ln K for K classes; for numbers, the "
                    + "targets' variance: always answering their mean), or the loss averaged over {windows} windows "
                    + "is over {smoothed-factor}x it: the learning rate is too high",
            "lower the learning rate 10x (--lr), or use a decaying schedule (--schedule inverse-time:0.0001)",
            Catalogue::unstableLoss);

    /**
     * Information, not an alarm: at a constant learning rate a healthy run's loss does stop improving. Ten summaries
     * running to raise, forty to clear: MNIST in file order has runs of easy and of hard digits that move a
     * 2,000-sample mean loss by 5% either way, for a span at a time; once improvement slows to that size the
     * comparison holds about 40% of the time, in long streaks, and an alert that came and went with them would say
     * nothing.
     */
    public static final Rule PLATEAU = new Rule("plateau", Severity.INFO, 10, 40,
            List.of(PLATEAU_SPAN, PLATEAU_IMPROVEMENT),
            "the mean loss of the last {span} windows is less than {improvement} (relative) below that of the {span} "
                    + "before",
            "the model may have converged for this learning rate: try a schedule, a larger model, or stop",
            Catalogue::plateau);

    /**
     * Raised by the summary of the window in which the learner's Page-Hinkley test signalled a rise of the prequential
     * error ({@link PageHinkley#DEFAULT}); the alert names the step and the error rates before and after. It clears
     * after ten summaries without another.
     */
    public static final Rule CONCEPT_DRIFT = new Rule("concept-drift", Severity.WARNING, 1, 10, List.of(),
            "the prequential error rose and stayed up (Page-Hinkley test on the error stream): the stream has changed "
                    + "under the model",
            "if the change lasts, let the model follow it faster (--on-drift boost-lr:3:2000 or reset-optimiser); if "
                    + "it should not have happened, check the producer's data",
            (summary, history) -> summary.getDrift() != null ? OptionalInt.of(0) : OptionalInt.empty());

    /** The rules tested on every summary, in the order alerts are listed. */
    public static final List<Rule> CAUSES = List.of(NON_FINITE, EXPLODING, VANISHING, SATURATION, DEAD_RELU, STALLED,
            CONSTANT_OUTPUT, UNSTABLE_LOSS, CONCEPT_DRIFT);

    /** Every rule: the causes, then {@link #PLATEAU}, which is tested only when no cause holds. */
    public static final List<Rule> ALL = Stream.concat(CAUSES.stream(), Stream.of(PLATEAU)).toList();

    private Catalogue() {
    }

    /** The rule of that name, if this release has one (a summary from another release may name others). */
    public static Optional<Rule> find(String name) {
        return ALL.stream().filter(rule -> rule.name().equals(name)).findFirst();
    }

    /** An active rule as views list it, with its severity: "plateau (info)"; an unknown name as it is. */
    public static String withSeverity(String name) {
        return name + find(name).map(rule -> " (" + rule.severity().name().toLowerCase(Locale.ROOT) + ")").orElse("");
    }

    /** The summary's tensors of one role, in layer order. */
    static List<TensorSummary> tensors(TrainingSummary summary, TensorRole role) {
        List<TensorSummary> tensors = new ArrayList<>();
        for (TensorSummary tensor : summary.getTensors()) {
            if (tensor.getRole() == role) {
                tensors.add(tensor);
            }
        }
        return tensors;
    }

    private static OptionalInt nonFinite(TrainingSummary summary, SummaryHistory history) {
        // A window of refused records only has no loss at all: that is bad input, not a non-finite model.
        boolean trained = summary.getLastStep() >= summary.getFirstStep();
        if (trained && !Double.isFinite(summary.getLossMean()) || history.skippedInWindow() > 0) {
            return OptionalInt.of(0);
        }
        for (TensorSummary tensor : summary.getTensors()) {
            if (tensor.getValues().getNonFiniteCount() > 0) {
                return OptionalInt.of(tensor.getLayer());
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt exploding(TrainingSummary summary, SummaryHistory history) {
        for (TensorSummary tensor : tensors(summary, TensorRole.WEIGHT)) {
            if (tensor.getUpdateRatio() > EXPLODING_UPDATE_RATIO.value()
                    || tensor.getGradient().getL2Norm() > EXPLODING_GRADIENT_NORM.value()) {
                return OptionalInt.of(tensor.getLayer());
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt vanishing(TrainingSummary summary, SummaryHistory history) {
        List<TensorSummary> weights = tensors(summary, TensorRole.WEIGHT);
        if (weights.size() < 2) {
            return OptionalInt.empty();
        }
        TensorSummary first = weights.get(0);
        TensorSummary last = weights.get(weights.size() - 1);
        // The bias gradient is the back-propagated error itself, free of the scale of each layer's input.
        List<TensorSummary> biases = tensors(summary, TensorRole.BIAS);
        boolean tinyGradient = biases.get(0).getGradientMeanAbsWindow()
                < VANISHING_GRADIENT_RATIO.value() * biases.get(biases.size() - 1).getGradientMeanAbsWindow();
        // A first layer that does not move while the last one does; when none moves, that is stalled-weights.
        boolean tinyUpdates = first.getUpdateRatio() < VANISHING_UPDATE_RATIO.value()
                && first.getUpdateRatio() < VANISHING_RELATIVE_UPDATE.value() * last.getUpdateRatio();
        return tinyGradient || tinyUpdates ? OptionalInt.of(1) : OptionalInt.empty();
    }

    private static OptionalInt saturation(TrainingSummary summary, SummaryHistory history) {
        for (ActivationSummary layer : summary.getActivations()) {
            if (layer.getSaturatedFraction() > SATURATED_FRACTION.value()) {
                return OptionalInt.of(layer.getLayer());
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt deadRelu(TrainingSummary summary, SummaryHistory history) {
        for (ActivationSummary layer : summary.getActivations()) {
            if (!"relu".equals(layer.getActivation()) || layer.getUnitGradientMeanAbs().isEmpty()) {
                continue;
            }
            long dead = layer.getUnitGradientMeanAbs().stream().filter(g -> g == 0f).count();
            if (dead > DEAD_UNIT_FRACTION.value() * layer.getUnitGradientMeanAbs().size()) {
                return OptionalInt.of(layer.getLayer());
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt stalled(TrainingSummary summary, SummaryHistory history) {
        for (TensorSummary tensor : tensors(summary, TensorRole.WEIGHT)) {
            if (!(tensor.getUpdateRatio() < STALLED_UPDATE_RATIO.value())
                    || !(tensor.getGradientMeanAbsWindow() < STALLED_GRADIENT.value())) {
                return OptionalInt.empty();
            }
        }
        return lossEmaStalls(history, STALLED_IMPROVEMENT, STALLED_SUMMARIES) ? OptionalInt.of(0)
                : OptionalInt.empty();
    }

    private static OptionalInt unstableLoss(TrainingSummary summary, SummaryHistory history) {
        double chance = chanceLoss(summary);
        boolean farAboveGuessing = summary.getLossMean() > CHANCE_LOSS_FACTOR.value() * chance;
        boolean aboveGuessing = history.meanLoss(0, (int) SMOOTHED_WINDOWS.value())
                > SMOOTHED_CHANCE_LOSS_FACTOR.value() * chance;
        return farAboveGuessing || aboveGuessing ? OptionalInt.of(0) : OptionalInt.empty();
    }

    /** Whether the loss EMA improved by less than {@code improvement} over the last {@code summaries} summaries. */
    private static boolean lossEmaStalls(SummaryHistory history, Threshold improvement, Threshold summaries) {
        double[] emas = history.lastLossEmas((int) summaries.value());
        return emas.length == (int) summaries.value()
                && emas[emas.length - 1] > emas[0] * (1 - improvement.value());
    }

    private static OptionalInt constantOutput(TrainingSummary summary, SummaryHistory history) {
        if (summary.getRegression() == null || !(summary.getRegression().getTargetStd() > 0)) {
            return OptionalInt.empty();
        }
        boolean constant = summary.getRegression().getEstimateStd()
                < CONSTANT_SPREAD.value() * summary.getRegression().getTargetStd();
        return constant && lossEmaStalls(history, CONSTANT_IMPROVEMENT, CONSTANT_SUMMARIES) ? OptionalInt.of(0)
                : OptionalInt.empty();
    }

    /**
     * The loss of guessing: for classes, the cross-entropy of a uniform guess, ln K for K outputs (read off the output
     * bias), ln 2 for one output; for numbers, the squared error of always answering the targets' mean, their
     * variance over the window.
     */
    private static double chanceLoss(TrainingSummary summary) {
        if (summary.getRegression() != null) {
            double std = summary.getRegression().getTargetStd();
            return std * std;
        }
        List<TensorSummary> biases = tensors(summary, TensorRole.BIAS);
        int outputs = biases.get(biases.size() - 1).getShape().get(0);
        return Math.log(Math.max(2, outputs));
    }

    private static OptionalInt plateau(TrainingSummary summary, SummaryHistory history) {
        int span = (int) PLATEAU_SPAN.value();
        double recent = history.meanLoss(0, span);
        double before = history.meanLoss(span, span);
        return recent > before * (1 - PLATEAU_IMPROVEMENT.value()) ? OptionalInt.of(0) : OptionalInt.empty();
    }
}
