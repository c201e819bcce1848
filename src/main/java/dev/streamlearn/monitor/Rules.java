package dev.streamlearn.monitor;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The diagnosis rules and their thresholds. A healthy layer updates its weights by about 1e-3 of their norm per
 * step (Karpathy's rule of thumb, the DL4J UI's update:parameter ratio); the thresholds sit orders of magnitude
 * away from that band so a healthy run stays silent.
 */
final class Rules {
    /** Update ratio above which a step changes weights too much. */
    static final double EXPLODING_UPDATE_RATIO = 0.1;
    /** Gradient L2 norm above which a tensor's gradient has exploded. */
    static final double EXPLODING_GRADIENT_NORM = 1e3;
    /** First-layer mean |bias gradient| below this fraction of the output layer's: the error vanishes on the way down. */
    static final double VANISHING_GRADIENT_RATIO = 1e-3;
    /** First-layer update ratio below this, and below 1e-2 of the last layer's: it barely learns. */
    static final double VANISHING_UPDATE_RATIO = 1e-5;
    /** First-layer update ratio below this fraction of the last layer's: the error vanishes on the way down. */
    static final double VANISHING_RELATIVE_UPDATE = 1e-2;
    /** Fraction of saturated outputs (|tanh| > 0.99, sigmoid < 0.01 or > 0.99) above which a layer is saturated. */
    static final double SATURATED_FRACTION = 0.5;
    /** Fraction of ReLU units that gave zero gradient for the whole window above which the layer is dying. */
    static final double DEAD_UNIT_FRACTION = 0.5;
    /** Update ratio below this on every weight tensor: the weights do not move. */
    static final double STALLED_UPDATE_RATIO = 1e-6;
    /** Window mean |gradient| below this on every weight tensor: the stall is not one easy last sample. */
    static final double STALLED_GRADIENT = 1e-6;
    /** Relative loss improvement below this over the comparison span: the loss does not improve. */
    static final double NO_IMPROVEMENT = 0.01;
    /** A window loss this many times the loss of guessing (ln K, or ln 2 for one output) means divergence. */
    static final double CHANCE_LOSS_FACTOR = 4.0;
    /** The loss averaged over SMOOTHED_WINDOWS windows this many times the loss of guessing means divergence. */
    static final double SMOOTHED_CHANCE_LOSS_FACTOR = 2.0;
    /** Windows averaged for the smoothed loss. */
    static final int SMOOTHED_WINDOWS = 5;
    /** Windows in each of the two spans a plateau compares (2,000 samples at the default interval). */
    static final int PLATEAU_SPAN = 20;
    /** Relative improvement of the mean loss from one span to the next below which the loss is on a plateau. */
    static final double PLATEAU_IMPROVEMENT = 0.02;

    private Rules() {
    }

    static List<Rule> all() {
        return List.of(new NonFinite(), new Exploding(), new Vanishing(), new Saturation(), new DeadRelu(),
                new Stalled(), new UnstableLoss());
    }

    /** Weight tensors (W1, W2, ...) in layer order. */
    static List<TensorSummary> weights(TrainingSummary summary) {
        List<TensorSummary> weights = new ArrayList<>();
        for (TensorSummary tensor : summary.getTensors()) {
            if (tensor.getName().startsWith("W")) {
                weights.add(tensor);
            }
        }
        return weights;
    }

    /** Bias tensors (b1, b2, ...) in layer order. */
    static List<TensorSummary> biases(TrainingSummary summary) {
        List<TensorSummary> biases = new ArrayList<>();
        for (TensorSummary tensor : summary.getTensors()) {
            if (tensor.getName().startsWith("b")) {
                biases.add(tensor);
            }
        }
        return biases;
    }

    /** Whether the loss EMA improved by less than NO_IMPROVEMENT over the last n summaries. */
    static boolean lossNotImproving(SummaryHistory history, int n) {
        double[] emas = history.lastLossEmas(n);
        if (emas.length < n) {
            return false;
        }
        return emas[emas.length - 1] > emas[0] * (1 - NO_IMPROVEMENT);
    }

    static final class NonFinite implements Rule {
        @Override
        public String name() {
            return "non-finite";
        }

        @Override
        public String explanation() {
            return "the loss, a weight or a gradient is NaN or infinite (those updates are refused)";
        }

        @Override
        public String fix() {
            return "lower the learning rate, clip gradients (--clip-norm 5), and check the input for NaN";
        }

        /** A NaN is never noise. */
        @Override
        public int raiseAfter() {
            return 1;
        }

        @Override
        public OptionalInt evaluate(TrainingSummary summary, SummaryHistory history) {
            if (!Double.isFinite(summary.getLossMean()) || history.skippedInWindow() > 0) {
                return OptionalInt.of(0);
            }
            for (TensorSummary tensor : summary.getTensors()) {
                if (tensor.getValues().getNonFiniteCount() > 0) {
                    return OptionalInt.of(tensor.getLayer());
                }
            }
            return OptionalInt.empty();
        }
    }

    static final class Exploding implements Rule {
        @Override
        public String name() {
            return "exploding-gradients";
        }

        @Override
        public String explanation() {
            return "a step changes a layer's weights by more than 10% of their norm (update ratio > 0.1) or a gradient "
                    + "norm exceeds 1e3";
        }

        @Override
        public String fix() {
            return "lower the learning rate 10x or clip gradients (--clip-norm 5)";
        }

        /** One step that moves a layer by 10% of its norm already does the damage. */
        @Override
        public int raiseAfter() {
            return 1;
        }

        @Override
        public OptionalInt evaluate(TrainingSummary summary, SummaryHistory history) {
            for (TensorSummary tensor : weights(summary)) {
                if (tensor.getUpdateRatio() > EXPLODING_UPDATE_RATIO
                        || tensor.getGradient().getL2Norm() > EXPLODING_GRADIENT_NORM) {
                    return OptionalInt.of(tensor.getLayer());
                }
            }
            return OptionalInt.empty();
        }
    }

    static final class Vanishing implements Rule {
        @Override
        public String name() {
            return "vanishing-gradients";
        }

        @Override
        public String explanation() {
            return "the error reaching the first layer (its bias gradient) is under 1e-3 of the output layer's, or its "
                    + "update ratio is under 1e-5 (healthy is ~1e-3) and 1e-2 of the last layer's: early layers barely "
                    + "learn";
        }

        @Override
        public String fix() {
            return "initialise for the activation (--init xavier-uniform for tanh/sigmoid, he-normal for ReLU), or use "
                    + "fewer layers";
        }

        @Override
        public OptionalInt evaluate(TrainingSummary summary, SummaryHistory history) {
            List<TensorSummary> weights = weights(summary);
            if (weights.size() < 2) {
                return OptionalInt.empty();
            }
            TensorSummary first = weights.get(0);
            TensorSummary last = weights.get(weights.size() - 1);
            // The bias gradient is the back-propagated error itself, free of the scale of each layer's input.
            List<TensorSummary> biases = biases(summary);
            boolean tinyGradient = biases.get(0).getGradientMeanAbsWindow()
                    < VANISHING_GRADIENT_RATIO * biases.get(biases.size() - 1).getGradientMeanAbsWindow();
            // A first layer that does not move while the last one does; when none moves, that is stalled-weights.
            boolean tinyUpdates = first.getUpdateRatio() < VANISHING_UPDATE_RATIO
                    && first.getUpdateRatio() < VANISHING_RELATIVE_UPDATE * last.getUpdateRatio();
            return tinyGradient || tinyUpdates ? OptionalInt.of(1) : OptionalInt.empty();
        }
    }

    static final class Saturation implements Rule {
        @Override
        public String name() {
            return "saturation";
        }

        @Override
        public String explanation() {
            return "over half of a layer's sigmoid/tanh outputs sit on the flat tails (|tanh| > 0.99, sigmoid < 0.01 "
                    + "or > 0.99), where the derivative is ~0 and no gradient passes";
        }

        @Override
        public String fix() {
            return "use a small symmetric init (--init xavier-uniform), do not apply a sigmoid before a with-logits "
                    + "loss, or normalise the inputs";
        }

        @Override
        public OptionalInt evaluate(TrainingSummary summary, SummaryHistory history) {
            for (ActivationSummary layer : summary.getActivations()) {
                if (layer.getSaturatedFraction() > SATURATED_FRACTION) {
                    return OptionalInt.of(layer.getLayer());
                }
            }
            return OptionalInt.empty();
        }
    }

    static final class DeadRelu implements Rule {
        @Override
        public String name() {
            return "dead-relu";
        }

        @Override
        public String explanation() {
            return "over half of a ReLU layer's units output 0 for every sample of the window, so they get no gradient "
                    + "and never recover";
        }

        @Override
        public String fix() {
            return "lower the learning rate, use He init (--init he-normal), or --activation leaky-relu";
        }

        @Override
        public OptionalInt evaluate(TrainingSummary summary, SummaryHistory history) {
            for (ActivationSummary layer : summary.getActivations()) {
                if (!"relu".equals(layer.getActivation()) || layer.getUnitGradientMeanAbs().isEmpty()) {
                    continue;
                }
                long dead = layer.getUnitGradientMeanAbs().stream().filter(g -> g == 0f).count();
                if (dead > DEAD_UNIT_FRACTION * layer.getUnitGradientMeanAbs().size()) {
                    return OptionalInt.of(layer.getLayer());
                }
            }
            return OptionalInt.empty();
        }
    }

    static final class Stalled implements Rule {
        @Override
        public String name() {
            return "stalled-weights";
        }

        @Override
        public String explanation() {
            return "no weight tensor moves (update ratio < 1e-6 and mean |gradient| over the window < 1e-6 "
                    + "everywhere) while the loss does not improve: the gradient reaching the weights is ~0";
        }

        @Override
        public String fix() {
            return "look for a saturated output (a sigmoid before a with-logits loss), a too-large init such as "
                    + "uniform(0, 1), or a learning rate far too small";
        }

        @Override
        public OptionalInt evaluate(TrainingSummary summary, SummaryHistory history) {
            for (TensorSummary tensor : weights(summary)) {
                if (!(tensor.getUpdateRatio() < STALLED_UPDATE_RATIO)
                        || !(tensor.getGradientMeanAbsWindow() < STALLED_GRADIENT)) {
                    return OptionalInt.empty();
                }
            }
            return lossNotImproving(history, 5) ? OptionalInt.of(0) : OptionalInt.empty();
        }
    }

    static final class UnstableLoss implements Rule {
        @Override
        public String name() {
            return "unstable-loss";
        }

        @Override
        public String explanation() {
            return "the window loss is over 4x the loss of guessing, or the loss averaged over 5 windows is over "
                    + "twice it: the learning rate is too high";
        }

        @Override
        public String fix() {
            return "lower the learning rate 10x (--lr), or use a decaying schedule (--schedule inverse-time:0.0001)";
        }

        /**
         * Either condition is proof on its own: one is extreme, the other already averages five windows. Both are
         * anchored to the loss of guessing, not to the run's best loss: healthy per-sample runs pass through easy
         * stretches whose loss is a third of what follows.
         */
        @Override
        public int raiseAfter() {
            return 1;
        }

        @Override
        public OptionalInt evaluate(TrainingSummary summary, SummaryHistory history) {
            double chance = chanceLoss(summary);
            boolean farAboveGuessing = summary.getLossMean() > CHANCE_LOSS_FACTOR * chance;
            boolean aboveGuessing = history.meanLoss(0, SMOOTHED_WINDOWS) > SMOOTHED_CHANCE_LOSS_FACTOR * chance;
            return farAboveGuessing || aboveGuessing ? OptionalInt.of(0) : OptionalInt.empty();
        }
    }

    /** Cross-entropy of a uniform guess: ln K for K outputs (read off the output bias), ln 2 for one output. */
    static double chanceLoss(TrainingSummary summary) {
        List<TensorSummary> tensors = summary.getTensors();
        int outputs = tensors.get(tensors.size() - 1).getShape().get(0);
        return Math.log(Math.max(2, outputs));
    }

    /** Holds only when no other rule does: the loss has stopped improving for no reason the rules can name. */
    static final class Plateau implements Rule {
        @Override
        public String name() {
            return "plateau";
        }

        @Override
        public String explanation() {
            return "the mean loss of the last 20 windows is not 2% below that of the 20 before";
        }

        @Override
        public String fix() {
            return "the model may have converged for this learning rate: try a schedule, a larger model, or stop";
        }

        /**
         * Ten summaries running to raise, forty to clear. MNIST in file order has runs of easy and of hard digits
         * that move a 2,000-sample mean loss by 5% either way, for a span at a time; once improvement slows to that
         * size the comparison holds about 40% of the time, in long streaks, and an alert that came and went with
         * them would say nothing.
         */
        @Override
        public int raiseAfter() {
            return 10;
        }

        @Override
        public int clearAfter() {
            return 40;
        }

        @Override
        public OptionalInt evaluate(TrainingSummary summary, SummaryHistory history) {
            double recent = history.meanLoss(0, PLATEAU_SPAN);
            double before = history.meanLoss(PLATEAU_SPAN, PLATEAU_SPAN);
            return recent > before * (1 - PLATEAU_IMPROVEMENT) ? OptionalInt.of(0) : OptionalInt.empty();
        }
    }
}
