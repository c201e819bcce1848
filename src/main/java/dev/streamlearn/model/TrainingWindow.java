package dev.streamlearn.model;

import java.util.Arrays;

/**
 * Running statistics of the steps since the last {@link #reset()} (the monitoring window), plus the cumulative
 * prequential accuracy and loss moving average since training began. Recording a step costs O(sum of layer widths),
 * never O(parameters).
 */
public final class TrainingWindow implements StepObserver {
    /** Per-unit vectors are cut to this many units so a summary stays small for wide layers. */
    public static final int MAX_UNITS = 256;
    /** Smoothing of the loss moving average. */
    public static final double LOSS_EMA_ALPHA = 0.01;
    /** Estimate and target pairs of output 1 kept per window, the newest, for a prediction-vs-target view. */
    public static final int RECENT_PAIRS = 100;

    private final Network network;
    private final Activation outputSquash;
    private final int layerCount;
    private long steps;
    private double lossSum;
    private long correct;
    private final double[] activationSum;
    private final double[] activationSquares;
    private final long[] activationCount;
    private final long[] dead;
    private final long[] saturated;
    private final double[][] unitGradientAbs;
    private final double[] gradientMeanAbs;
    private long totalSteps;
    private long totalCorrect;
    /** The sum of every step's loss since the first (NaN when restored from a snapshot that did not keep it). */
    private double totalLossSum;
    private double lossEma = Double.NaN;
    /** Numeric heads: errors of the estimates (every output), and the spread of estimates and targets. */
    private final boolean numeric;
    private final Regression regression = new Regression();

    TrainingWindow(Network network) {
        this.network = network;
        this.layerCount = network.layerCount();
        this.activationSum = new double[layerCount];
        this.activationSquares = new double[layerCount];
        this.activationCount = new long[layerCount];
        this.dead = new long[layerCount];
        this.saturated = new long[layerCount];
        this.unitGradientAbs = new double[layerCount][];
        for (int l = 0; l < layerCount; l++) {
            unitGradientAbs[l] = new double[Math.min(MAX_UNITS, network.layer(l).fanOut)];
        }
        this.gradientMeanAbs = new double[2 * layerCount];
        Objective head = network.config().loss();
        this.outputSquash = head == Objective.DOUBLE_SIGMOID || head == Objective.SIGMOID_MSE
                ? Activation.SIGMOID : Activation.IDENTITY;
        this.numeric = head.isNumeric();
    }

    /**
     * What a numeric head's window and run add up: absolute and squared errors over every output of every step, and
     * sums of estimates and targets and of their squares (their spread), with the newest estimate-target pairs of
     * output 1. The totals run from the first step.
     */
    private static final class Regression {
        long count;
        double absError;
        double squaredError;
        double estimateSum;
        double estimateSquares;
        double targetSum;
        double targetSquares;
        long totalCount;
        double totalAbsError;
        double totalSquaredError;
        final float[] recentEstimates = new float[RECENT_PAIRS];
        final float[] recentTargets = new float[RECENT_PAIRS];
        int recent;

        void record(Network network, int outputs) {
            for (int i = 0; i < outputs; i++) {
                double estimate = network.estimate(i);
                double target = network.numericTarget(i);
                double error = estimate - target;
                count++;
                absError += Math.abs(error);
                squaredError += error * error;
                estimateSum += estimate;
                estimateSquares += estimate * estimate;
                targetSum += target;
                targetSquares += target * target;
                totalCount++;
                totalAbsError += Math.abs(error);
                totalSquaredError += error * error;
            }
            recentEstimates[recent % RECENT_PAIRS] = network.estimate(0);
            recentTargets[recent % RECENT_PAIRS] = network.numericTarget(0);
            recent++;
        }

        void reset() {
            count = 0;
            absError = 0;
            squaredError = 0;
            estimateSum = 0;
            estimateSquares = 0;
            targetSum = 0;
            targetSquares = 0;
            recent = 0;
        }

        static double std(double sum, double squares, long count) {
            double mean = sum / count;
            return Math.sqrt(Math.max(0, squares / count - mean * mean));
        }
    }

    /** Records one applied step: its loss, whether it was right, and its layers' activations and deltas. */
    @Override
    public void afterUpdate(Network network, StepOutcome outcome) {
        record(outcome.loss(), !numeric && outcome.predicted() == outcome.target(), network.inputMeanAbs());
        if (numeric) {
            regression.record(network, network.config().outputSize());
        }
    }

    private void record(float loss, boolean wasCorrect, double inputMeanAbs) {
        steps++;
        totalSteps++;
        totalLossSum += loss;
        lossSum += loss;
        lossEma = Double.isNaN(lossEma) ? loss : (1 - LOSS_EMA_ALPHA) * lossEma + LOSS_EMA_ALPHA * loss;
        if (wasCorrect) {
            correct++;
            totalCorrect++;
        }
        double layerInputMeanAbs = inputMeanAbs;
        for (int l = 0; l < layerCount; l++) {
            DenseLayer layer = network.layer(l);
            double deltaAbsSum = 0;
            double[] units = unitGradientAbs[l];
            for (int u = 0; u < layer.fanOut; u++) {
                float magnitude = Math.abs(layer.delta.get(u));
                deltaAbsSum += magnitude;
                if (u < units.length) {
                    units[u] += magnitude;
                }
            }
            double deltaMeanAbs = deltaAbsSum / layer.fanOut;
            // The raw weight gradient is delta x^T and |d_i x_j| = |d_i| |x_j|: its mean |g| factorises.
            gradientMeanAbs[2 * l] += deltaMeanAbs * layerInputMeanAbs;
            gradientMeanAbs[2 * l + 1] += deltaMeanAbs;
            layerInputMeanAbs = recordActivations(l, layer);
        }
    }

    /** Accumulates layer l's output statistics and returns the mean |a| of this step. */
    private double recordActivations(int l, DenseLayer layer) {
        FloatTensor output = layer.output;
        Activation activation = layer.activation == null ? outputSquash : layer.activation;
        boolean squashOutput = layer.activation == null && outputSquash == Activation.SIGMOID;
        double sum = 0;
        double absSum = 0;
        double squares = 0;
        long zeros = 0;
        long saturatedUnits = 0;
        for (int u = 0; u < layer.fanOut; u++) {
            float a = squashOutput ? Activation.sigmoid(output.get(u)) : output.get(u);
            sum += a;
            absSum += Math.abs(a);
            squares += a * a;
            if (activation == Activation.RELU && a == 0f) {
                zeros++;
            } else if (activation == Activation.TANH && Math.abs(a) > 0.99f) {
                saturatedUnits++;
            } else if (activation == Activation.SIGMOID && (a < 0.01f || a > 0.99f)) {
                saturatedUnits++;
            }
        }
        activationSum[l] += sum;
        activationSquares[l] += squares;
        activationCount[l] += layer.fanOut;
        dead[l] += zeros;
        saturated[l] += saturatedUnits;
        return absSum / layer.fanOut;
    }

    /** Starts a new window; cumulative figures carry on. */
    public void reset() {
        steps = 0;
        lossSum = 0;
        correct = 0;
        Arrays.fill(activationSum, 0);
        Arrays.fill(activationSquares, 0);
        Arrays.fill(activationCount, 0);
        Arrays.fill(dead, 0);
        Arrays.fill(saturated, 0);
        for (double[] units : unitGradientAbs) {
            Arrays.fill(units, 0);
        }
        Arrays.fill(gradientMeanAbs, 0);
        regression.reset();
    }

    /**
     * The open window's running sums, copied: what a learner keeps in its snapshot so that a window cut by a restart
     * is summarised as if it had not been.
     */
    public record State(long steps, double lossSum, long correct, double[] activationSum, double[] activationSquares,
                        long[] activationCount, long[] dead, long[] saturated, double[][] unitGradientAbs,
                        double[] gradientMeanAbs, RegressionState regression) {
    }

    /** A numeric head's sums (all zero for class heads): the window's, the run's totals, the window's newest pairs. */
    public record RegressionState(long count, double absError, double squaredError, double estimateSum,
                                  double estimateSquares, double targetSum, double targetSquares, long totalCount,
                                  double totalAbsError, double totalSquaredError, float[] recentEstimates,
                                  float[] recentTargets) {
    }

    public State state() {
        double[][] units = new double[layerCount][];
        for (int l = 0; l < layerCount; l++) {
            units[l] = unitGradientAbs[l].clone();
        }
        float[][] pairs = recentPairs();
        RegressionState numbers = new RegressionState(regression.count, regression.absError, regression.squaredError,
                regression.estimateSum, regression.estimateSquares, regression.targetSum, regression.targetSquares,
                regression.totalCount, regression.totalAbsError, regression.totalSquaredError, pairs[0], pairs[1]);
        return new State(steps, lossSum, correct, activationSum.clone(), activationSquares.clone(),
                activationCount.clone(), dead.clone(), saturated.clone(), units, gradientMeanAbs.clone(), numbers);
    }

    /** Takes back a window saved by {@link #state()} from a network of this shape; refuses any other shape. */
    public void restore(State state) {
        requireLength("activationSum", state.activationSum().length, layerCount);
        requireLength("activationSquares", state.activationSquares().length, layerCount);
        requireLength("activationCount", state.activationCount().length, layerCount);
        requireLength("dead", state.dead().length, layerCount);
        requireLength("saturated", state.saturated().length, layerCount);
        requireLength("unitGradientAbs", state.unitGradientAbs().length, layerCount);
        requireLength("gradientMeanAbs", state.gradientMeanAbs().length, 2 * layerCount);
        for (int l = 0; l < layerCount; l++) {
            requireLength("unitGradientAbs[" + l + "]", state.unitGradientAbs()[l].length, unitGradientAbs[l].length);
        }
        steps = state.steps();
        lossSum = state.lossSum();
        correct = state.correct();
        System.arraycopy(state.activationSum(), 0, activationSum, 0, layerCount);
        System.arraycopy(state.activationSquares(), 0, activationSquares, 0, layerCount);
        System.arraycopy(state.activationCount(), 0, activationCount, 0, layerCount);
        System.arraycopy(state.dead(), 0, dead, 0, layerCount);
        System.arraycopy(state.saturated(), 0, saturated, 0, layerCount);
        for (int l = 0; l < layerCount; l++) {
            System.arraycopy(state.unitGradientAbs()[l], 0, unitGradientAbs[l], 0, unitGradientAbs[l].length);
        }
        System.arraycopy(state.gradientMeanAbs(), 0, gradientMeanAbs, 0, gradientMeanAbs.length);
        RegressionState numbers = state.regression();
        requireLength("recentTargets", numbers.recentTargets().length, numbers.recentEstimates().length);
        regression.reset();
        regression.count = numbers.count();
        regression.absError = numbers.absError();
        regression.squaredError = numbers.squaredError();
        regression.estimateSum = numbers.estimateSum();
        regression.estimateSquares = numbers.estimateSquares();
        regression.targetSum = numbers.targetSum();
        regression.targetSquares = numbers.targetSquares();
        regression.totalCount = numbers.totalCount();
        regression.totalAbsError = numbers.totalAbsError();
        regression.totalSquaredError = numbers.totalSquaredError();
        int pairs = Math.min(numbers.recentEstimates().length, RECENT_PAIRS);
        System.arraycopy(numbers.recentEstimates(), 0, regression.recentEstimates, 0, pairs);
        System.arraycopy(numbers.recentTargets(), 0, regression.recentTargets, 0, pairs);
        regression.recent = pairs;
    }

    private static void requireLength(String field, int length, int expected) {
        if (length != expected) {
            throw new IllegalArgumentException("window state " + field + " has " + length + " entries, this network "
                    + "needs " + expected);
        }
    }

    public long steps() {
        return steps;
    }

    public double lossMean() {
        return steps == 0 ? Double.NaN : lossSum / steps;
    }

    public double lossEma() {
        return lossEma;
    }

    /** Prequential accuracy of the window; NaN for numeric heads, which have no classes. */
    public double accuracy() {
        return steps == 0 || numeric ? Double.NaN : (double) correct / steps;
    }

    public double cumulativeAccuracy() {
        return totalSteps == 0 || numeric ? Double.NaN : (double) totalCorrect / totalSteps;
    }

    /** Whether the head learns numbers, so that the error figures below apply. */
    public boolean numeric() {
        return numeric;
    }

    /** Prequential mean absolute error of the window's estimates (every output). */
    public double meanAbsoluteError() {
        return regression.absError / regression.count;
    }

    public double rootMeanSquaredError() {
        return Math.sqrt(regression.squaredError / regression.count);
    }

    public double cumulativeMeanAbsoluteError() {
        return regression.totalAbsError / regression.totalCount;
    }

    public double cumulativeRootMeanSquaredError() {
        return Math.sqrt(regression.totalSquaredError / regression.totalCount);
    }

    /** Standard deviation of the window's estimates: near 0 when the model answers the same whatever the input. */
    public double estimateStd() {
        return Regression.std(regression.estimateSum, regression.estimateSquares, regression.count);
    }

    public double targetStd() {
        return Regression.std(regression.targetSum, regression.targetSquares, regression.count);
    }

    /** The window's newest estimate-target pairs of output 1, oldest first (at most {@link #RECENT_PAIRS}). */
    public float[][] recentPairs() {
        int count = Math.min(regression.recent, RECENT_PAIRS);
        float[][] pairs = new float[2][count];
        for (int k = 0; k < count; k++) {
            int slot = (regression.recent - count + k) % RECENT_PAIRS;
            pairs[0][k] = regression.recentEstimates[slot];
            pairs[1][k] = regression.recentTargets[slot];
        }
        return pairs;
    }

    public long totalSteps() {
        return totalSteps;
    }

    public long totalCorrect() {
        return totalCorrect;
    }

    public double totalLossSum() {
        return totalLossSum;
    }

    /** The mean loss since the first step: the prequential loss of the whole run. */
    public double cumulativeLossMean() {
        return totalSteps == 0 ? Double.NaN : totalLossSum / totalSteps;
    }

    /** Restores the cumulative figures from a snapshot. */
    void restoreTotals(long steps, long correctSteps, double ema, double lossSum) {
        this.totalSteps = steps;
        this.totalCorrect = correctSteps;
        this.lossEma = ema;
        this.totalLossSum = lossSum;
    }

    public int layerCount() {
        return layerCount;
    }

    /**
     * Name of layer l's activation. The output layer reports "sigmoid" (and its saturation) when its head feeds the
     * loss a sigmoid whose flat tails stop the gradient (mean squared error, the double sigmoid), and "identity"
     * (the logits) for heads that take logits: a confident softmax or sigmoid cross-entropy is not a problem.
     */
    public String activationName(int l) {
        Activation activation = network.layer(l).activation;
        return (activation == null ? outputSquash : activation).flagName();
    }

    public double activationMean(int l) {
        return activationSum[l] / activationCount[l];
    }

    public double activationStd(int l) {
        double mean = activationMean(l);
        return Math.sqrt(Math.max(0, activationSquares[l] / activationCount[l] - mean * mean));
    }

    public double deadFraction(int l) {
        return (double) dead[l] / activationCount[l];
    }

    public double saturatedFraction(int l) {
        return (double) saturated[l] / activationCount[l];
    }

    /** Mean |dL/db| of each unit of layer l over the window (at most {@link #MAX_UNITS}). */
    public float[] unitGradientMeanAbs(int l) {
        double[] sums = unitGradientAbs[l];
        float[] means = new float[sums.length];
        for (int u = 0; u < sums.length; u++) {
            means[u] = (float) (sums[u] / steps);
        }
        return means;
    }

    /**
     * Mean |g| over the window of parameter tensor t (model order W1, b1, ...), of the raw back-propagated gradient
     * (before any L2 term or clipping).
     */
    public double gradientMeanAbs(int t) {
        return gradientMeanAbs[t] / steps;
    }
}
