package dev.streamlearn.model;

import java.util.ArrayList;
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
    private long updates;
    private double lastLearningRate;
    private boolean captureUpdate;
    private final List<float[]> beforeUpdate = new ArrayList<>();
    private final float[] afterUpdate = new float[TensorStatistics.SAMPLE_LIMIT];
    private final double[] lastUpdateRatios;
    private final float[] scaledPixels;
    private double inputMeanAbs;

    public OnlineTrainer(ModelConfig config) {
        this.config = config;
        this.network = new Network(config);
        this.optimiser = config.optimizerSpec().create(network.parameters());
        this.schedule = config.learningRateSchedule();
        this.gradientPolicy = new GradientPolicy(config, network.parameters());
        this.window = new TrainingWindow(network);
        this.lastUpdateRatios = new double[network.parameters().size()];
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

    /** Makes the next applied step record ||delta p|| / ||p|| per tensor (on a sample of each large tensor). */
    public void captureNextUpdate() {
        captureUpdate = true;
    }

    /** Update ratios from the last step that captured them, in parameter order. */
    public double[] lastUpdateRatios() {
        return lastUpdateRatios.clone();
    }

    /** One step on an image of unsigned bytes, scaled to [0, 1]. */
    public StepOutcome step(byte[] pixels, int label) {
        loadPixels(pixels);
        return stepOnInput(label);
    }

    /** One step on a feature vector; a vector holding NaN or infinity is refused before it touches the model. */
    public StepOutcome step(float[] features, int label) {
        for (float feature : features) {
            if (!Float.isFinite(feature)) {
                return new StepOutcome(Float.NaN, -1, network.target(label), false);
            }
        }
        double absSum = 0;
        for (float feature : features) {
            absSum += Math.abs(feature);
        }
        network.setInput(features);
        inputMeanAbs = absSum / features.length;
        return stepOnInput(label);
    }

    private StepOutcome stepOnInput(int label) {
        int target = network.target(label);
        network.forward();
        int predicted = network.predicted();
        float loss = network.lossAndGradient(target);
        if (!Float.isFinite(loss)) {
            return new StepOutcome(loss, predicted, target, false);
        }
        network.backward();
        List<Gradient> gradients = gradientPolicy.apply(network.gradients());
        for (Gradient gradient : gradients) {
            if (!gradient.isFinite()) {
                return new StepOutcome(loss, predicted, target, false);
            }
        }
        window.record(loss, predicted == target, inputMeanAbs);
        lastLearningRate = schedule.rate(config.learningRate(), updates);
        List<FloatTensor> parameters = network.parameters();
        if (captureUpdate) {
            copyParameters(parameters);
        }
        updates++;
        optimiser.step(parameters, gradients, (float) lastLearningRate, updates);
        if (captureUpdate) {
            measureUpdate(parameters);
            captureUpdate = false;
        }
        return new StepOutcome(loss, predicted, target, true);
    }

    /** Keeps the sample of every tensor that {@link #measureUpdate} compares after the step (arrays reused). */
    private void copyParameters(List<FloatTensor> parameters) {
        for (int t = 0; t < parameters.size(); t++) {
            SamplePlan plan = SamplePlan.of(parameters.get(t).length());
            if (beforeUpdate.size() == t) {
                beforeUpdate.add(new float[plan.size()]);
            }
            parameters.get(t).sample(plan, beforeUpdate.get(t));
        }
    }

    /** ||delta p|| / ||p|| per tensor, over the same sample plan as the tensor statistics. */
    private void measureUpdate(List<FloatTensor> parameters) {
        for (int t = 0; t < parameters.size(); t++) {
            FloatTensor parameter = parameters.get(t);
            float[] before = beforeUpdate.get(t);
            parameter.sample(SamplePlan.of(parameter.length()), afterUpdate);
            double change = 0;
            double norm = 0;
            for (int s = 0; s < before.length; s++) {
                double diff = afterUpdate[s] - before[s];
                change += diff * diff;
                norm += (double) before[s] * before[s];
            }
            lastUpdateRatios[t] = norm == 0 ? (change == 0 ? 0 : Double.POSITIVE_INFINITY)
                    : Math.sqrt(change / norm);
        }
    }

    /** Scales bytes to [0, 1] on the heap, then copies them to the input tensor in one bulk put. */
    private void loadPixels(byte[] pixels) {
        if (pixels.length != scaledPixels.length) {
            throw new IllegalArgumentException("sample has " + pixels.length + " pixels, the model takes "
                    + scaledPixels.length);
        }
        int sum = 0;
        for (int i = 0; i < pixels.length; i++) {
            int value = pixels[i] & 0xff;
            sum += value;
            scaledPixels[i] = value * (1f / 255f);
        }
        network.setInput(scaledPixels);
        inputMeanAbs = sum / 255.0 / pixels.length;
    }
}
