package dev.streamlearn.model;

import java.util.List;

/**
 * One SGD step per sample: predict, loss and gradient, optimiser step, parameters updated. A step whose loss or
 * gradient is not finite leaves the parameters untouched and says so in its {@link StepOutcome}.
 *
 * <p>Same configuration (seed included) and same samples in the same order give bitwise the same parameters:
 * single-threaded BLAS and Java loops fix the order of every sum.
 */
public final class OnlineTrainer {
    private final ModelConfig config;
    private final Network network;
    private final Optimiser optimiser;
    private final LearningRateSchedule schedule;
    private final GradientPolicy gradientPolicy;
    private final TrainingWindow window;
    private final UpdateRatios updateRatios;
    /** An array, walked by index: the step allocates nothing. */
    private final StepObserver[] observers;
    private long updates;
    private double lastLearningRate;
    /** A temporary multiplier of the learning rate, in force while updates < boostUntil. */
    private double boostFactor = 1;
    private long boostUntil;
    private final float[] scaledPixels;

    public OnlineTrainer(ModelConfig config) {
        this.config = config;
        this.network = new Network(config);
        this.optimiser = config.optimizer().create(network.parameters());
        this.schedule = config.schedule();
        this.gradientPolicy = new GradientPolicy(config, network.parameters());
        this.window = new TrainingWindow(network);
        this.updateRatios = new UpdateRatios(network.parameters().size());
        this.observers = new StepObserver[] {window, updateRatios};
        this.lastLearningRate = config.learningRate();
        this.scaledPixels = new float[config.inputSize()];
    }

    public ModelConfig config() {
        return config;
    }

    public Network network() {
        return network;
    }

    public Optimiser optimiser() {
        return optimiser;
    }

    /** Number of updates applied so far (refused steps do not count). */
    public long updates() {
        return updates;
    }

    /** Restores the update counter from a snapshot (the parameters and optimiser state are restored in place). */
    void restoreUpdates(long value) {
        updates = value;
    }

    /** Statistics of the steps since the last {@link TrainingWindow#reset()}. */
    public TrainingWindow window() {
        return window;
    }

    /** The learning rate of the last applied update. */
    public double lastLearningRate() {
        return lastLearningRate;
    }

    /**
     * Multiplies the learning rate by factor for the next steps updates (a response to concept drift). Not part of a
     * model snapshot: the learner keeps it in its own state and restores it with {@link #restoreBoost}.
     */
    public void boostLearningRate(double factor, long steps) {
        restoreBoost(factor, updates + steps);
    }

    public void restoreBoost(double factor, long until) {
        boostFactor = factor;
        boostUntil = until;
    }

    public double boostFactor() {
        return boostFactor;
    }

    public long boostUntil() {
        return boostUntil;
    }

    /** Zeroes the optimiser's state (momentum, squared-gradient sums, moments): what it learned of the old stream. */
    public void resetOptimiser() {
        optimiser.restoreState(optimiser.saveState().stream().map(values -> new float[values.length]).toList());
    }

    /** Makes the next applied step record ||delta p|| / ||p|| per tensor (on a sample of each large tensor). */
    public void captureNextUpdate() {
        updateRatios.arm();
    }

    /** Update ratios from the last step that captured them, in parameter order. */
    public double[] lastUpdateRatios() {
        return updateRatios.last();
    }

    /**
     * The head's answer of the last forward pass (see {@link Network#lastAnswer()}): after a step, what the model
     * answered for its input before it learned from it.
     */
    public float[] lastAnswer() {
        return network.lastAnswer();
    }

    /** One step on an image of unsigned bytes, scaled to [0, 1]. */
    public StepOutcome step(byte[] pixels, int label) {
        loadPixels(pixels);
        return stepOnInput(network.target(label), 1f);
    }

    /** One step on a feature vector and a class; a vector holding NaN or infinity is refused before the model. */
    public StepOutcome step(float[] features, int label) {
        return step(features, label, 1f);
    }

    /** As {@link #step(float[], int)}, the loss gradient multiplied by the sample's weight (>= 0). */
    public StepOutcome step(float[] features, int label, float weight) {
        int target = network.target(label);
        return loadFeatures(features) ? stepOnInput(target, weight) : new StepOutcome(Float.NaN, -1, target, false);
    }

    /**
     * One step of a numeric head on a feature vector and one target per output; non-finite features or targets are
     * refused before the model.
     */
    public StepOutcome step(float[] features, float[] targets) {
        return step(features, targets, 1f);
    }

    /** As {@link #step(float[], float[])}, the loss gradient multiplied by the sample's weight (>= 0). */
    public StepOutcome step(float[] features, float[] targets, float weight) {
        if (!config.loss().isNumeric()) {
            throw new IllegalArgumentException("the " + config.loss().flagName() + " head learns classes, not numbers");
        }
        if (targets.length != config.outputSize()) {
            throw new IllegalArgumentException(targets.length + " targets for a model of " + config.outputSize()
                    + " outputs");
        }
        for (float target : targets) {
            if (!Float.isFinite(target)) {
                return new StepOutcome(Float.NaN, -1, -1, false);
            }
        }
        if (!loadFeatures(features)) {
            return new StepOutcome(Float.NaN, -1, -1, false);
        }
        network.setTargets(targets);
        return stepOnInput(-1, weight);
    }

    /** Loads a feature vector with its mean |x|; false, loading nothing, when it holds NaN or infinity. */
    private boolean loadFeatures(float[] features) {
        double absSum = 0;
        for (float feature : features) {
            if (!Float.isFinite(feature)) {
                return false;
            }
            absSum += Math.abs(feature);
        }
        network.setInput(features, absSum / features.length);
        return true;
    }

    /**
     * Predict, loss and gradient, optimiser step (which updates the parameters); the observers read the step's
     * buffers around the update. A loss or gradient that is not finite refuses the step before anything changes.
     */
    private StepOutcome stepOnInput(int target, float weight) {
        network.forward();
        int predicted = network.predicted();
        List<Gradient> gradients = lossAndGradients(target, weight);
        StepOutcome outcome = new StepOutcome(network.lastLoss(), predicted, target, gradients != null);
        if (gradients == null) {
            return outcome;
        }
        for (int i = 0; i < observers.length; i++) {
            observers[i].beforeUpdate(network);
        }
        lastLearningRate = schedule.rate(config.learningRate(), updates) * (updates < boostUntil ? boostFactor : 1);
        optimiser.step(network.parameters(), gradients, (float) lastLearningRate, ++updates);
        network.observeInput();
        for (int i = 0; i < observers.length; i++) {
            observers[i].afterUpdate(network, outcome);
        }
        return outcome;
    }

    /** The loss of the last forward pass and the gradients the optimiser takes, or null when either is not finite. */
    private List<Gradient> lossAndGradients(int target, float weight) {
        if (!Float.isFinite(network.lossAndGradient(target))) {
            return null;
        }
        if (weight != 1f) {
            network.scaleOutputDelta(weight);
        }
        network.backward();
        List<Gradient> gradients = gradientPolicy.apply(network.gradients());
        for (Gradient gradient : gradients) {
            if (!gradient.isFinite()) {
                return null;
            }
        }
        return gradients;
    }

    /** Scales bytes to [0, 1] on the heap, then copies them to the input tensor in one bulk put. */
    private void loadPixels(byte[] pixels) {
        if (pixels.length != scaledPixels.length) {
            throw new IllegalArgumentException("sample has " + pixels.length + " pixels, the model takes "
                    + scaledPixels.length);
        }
        long sum = Pixels.scale(pixels, scaledPixels, 0);
        network.setInput(scaledPixels, sum / 255.0 / pixels.length);
    }
}
