package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of dense layers with an output head, evaluated one sample at a time. Holds the parameters in model order
 * (W1, b1, W2, b2, ...) and, for each, a gradient object bound to the layer buffers that the backward pass fills.
 */
public final class Network {
    private final ModelConfig config;
    private final Objective objective;
    private final List<DenseLayer> layers = new ArrayList<>();
    private final FloatTensor input;
    private final InputRuns inputRuns;
    private final List<FloatTensor> parameters = new ArrayList<>();
    private final List<FloatTensor> parameterView = java.util.Collections.unmodifiableList(parameters);
    private final List<Gradient> gradients = new ArrayList<>();
    private final List<String> parameterNames = new ArrayList<>();
    private double inputMeanAbs;
    private float lastLoss;
    private final float[] targets;
    /** With --standardise: the running statistics, the input as given (observed once its step is applied), scratch. */
    private final Standardiser standardiser;
    private final float[] rawInput;
    private final float[] standardised;

    public Network(ModelConfig config) {
        Blas.init();
        this.config = config;
        this.objective = config.loss();
        List<Integer> widths = config.layers();
        this.input = FloatTensor.zeros(widths.get(0));
        this.inputRuns = new InputRuns(widths.get(0));
        this.targets = new float[config.outputSize()];
        this.standardiser = config.standardise() ? new Standardiser(widths.get(0)) : null;
        this.rawInput = config.standardise() ? new float[widths.get(0)] : null;
        this.standardised = config.standardise() ? new float[widths.get(0)] : null;
        Activation hidden = config.activation();
        FloatTensor previousOutput = input;
        for (int l = 1; l < widths.size(); l++) {
            boolean isOutput = l == widths.size() - 1;
            boolean sparseInput = l == 1 && widths.get(1) >= DenseLayer.SPARSE_INPUT_MIN_WIDTH;
            DenseLayer layer = new DenseLayer(widths.get(l - 1), widths.get(l), isOutput ? null : hidden,
                    sparseInput ? inputRuns : null);
            layers.add(layer);
            parameters.add(layer.weights);
            parameters.add(layer.bias);
            parameterNames.add("W" + l);
            parameterNames.add("b" + l);
            gradients.add(layer.weightGradient(previousOutput));
            gradients.add(new Gradient.Dense(layer.delta, layer.fanOut));
            previousOutput = layer.output;
        }
        initialise();
    }

    private void initialise() {
        SeededRandom random = new SeededRandom(config.seed());
        Initialiser weightInit = config.weightInit();
        Initialiser firstInit = config.firstLayerWeightInit() == null ? weightInit : config.firstLayerWeightInit();
        Initialiser biasInit = config.biasInit();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            (l == 0 ? firstInit : weightInit).fill(layer.weights, layer.fanIn, layer.fanOut, random);
            biasInit.fill(layer.bias, layer.fanIn, layer.fanOut, random);
        }
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Loads the next input (and finds its non-zero runs for an input-major first layer), with its mean |x|, which the
     * caller has already walked the input for and monitoring reads.
     */
    void setInput(float[] values, double meanAbs) {
        float[] loaded = values;
        inputMeanAbs = meanAbs;
        if (standardiser != null) {
            System.arraycopy(values, 0, rawInput, 0, rawInput.length);
            inputMeanAbs = standardiser.apply(values, standardised);
            loaded = standardised;
        }
        input.copyFrom(loaded);
        if (layers.get(0).inputMajor()) {
            inputRuns.scan(loaded);
        }
    }

    /**
     * The head's answer for one input, without learning (see {@link Objective}): class probabilities, or a numeric
     * head's estimates. It runs on the network's own buffers, so callers take turns.
     */
    public float[] answer(float[] values) {
        setInput(values, 0);
        forward();
        return lastAnswer();
    }

    /**
     * The head's answer from the last forward pass. An optimiser step changes the parameters, not the activations,
     * so after a training step this is what the model answered before it learned.
     */
    public float[] lastAnswer() {
        DenseLayer output = layers.get(layers.size() - 1);
        return objective.answer(output.preActivation, output.fanOut, (float) config.outputScale());
    }

    /** Adds the input last loaded to the standardisation statistics, once its step has been applied. */
    void observeInput() {
        if (standardiser != null) {
            standardiser.observe(rawInput);
        }
    }

    /** The input standardisation, or null without --standardise. */
    public Standardiser standardiser() {
        return standardiser;
    }

    /**
     * Parameters in model order W1, b1, W2, b2, ... (live: they change as the model trains). Weights are stored
     * [fanOut, fanIn], or [fanIn, fanOut] for an input-major first layer ({@link #weightsInputMajor});
     * {@link Npz} always exports [fan_in, fan_out].
     */
    public List<FloatTensor> parameters() {
        return parameterView;
    }

    /** Whether weight tensor W(layer + 1) is stored [fanIn, fanOut] rather than [fanOut, fanIn]. */
    public boolean weightsInputMajor(int layer) {
        return layers.get(layer).inputMajor();
    }

    public List<String> parameterNames() {
        return List.copyOf(parameterNames);
    }

    /** Writes the raw gradient of parameter t from the last back-propagation into target (same shape). */
    public void lastGradient(int t, FloatTensor target) {
        gradients.get(t).copyTo(target);
    }

    /** Statistics of the raw gradient of parameter t from the last back-propagation, read in place. */
    public TensorStatistics lastGradientStatistics(int t, int bins) {
        return TensorStatistics.of(gradients.get(t), parameters.get(t).length(), bins);
    }

    /** Gradients of the last {@link #backward()}, same order as {@link #parameters()}. */
    List<Gradient> gradients() {
        return gradients;
    }

    int layerCount() {
        return layers.size();
    }

    DenseLayer layer(int index) {
        return layers.get(index);
    }

    void forward() {
        FloatTensor activations = input;
        for (DenseLayer layer : layers) {
            layer.forward(activations);
            activations = layer.output;
        }
    }

    /**
     * Loss of the last forward pass against the target (a class for class heads; the targets last set by
     * {@link #setTargets} for numeric heads); fills the output layer's delta.
     */
    float lossAndGradient(int target) {
        DenseLayer output = layers.get(layers.size() - 1);
        lastLoss = objective.isNumeric()
                ? objective.regressionLossAndGradient(output.preActivation, output.fanOut, targets,
                        (float) config.outputScale(), (float) config.huberDelta(), output.delta)
                : objective.lossAndGradient(output.preActivation, output.fanOut, target, output.delta);
        return lastLoss;
    }

    /** Multiplies dL/dz of the output by a sample's weight, before it is back-propagated. */
    void scaleOutputDelta(float weight) {
        DenseLayer output = layers.get(layers.size() - 1);
        for (int i = 0; i < output.fanOut; i++) {
            output.delta.set(i, output.delta.get(i) * weight);
        }
    }

    /** The numeric targets of the next step (regression heads), one per output. */
    void setTargets(float[] values) {
        System.arraycopy(values, 0, targets, 0, targets.length);
    }

    /** The numeric target of an output, as last set. */
    public float numericTarget(int output) {
        return targets[output];
    }

    /** The estimate of output i from the last forward pass: the output scale times z_i (regression heads). */
    public float estimate(int output) {
        return (float) config.outputScale() * layers.get(layers.size() - 1).preActivation.get(output);
    }

    /** The loss the last {@link #lossAndGradient} computed. */
    float lastLoss() {
        return lastLoss;
    }

    /** Mean |x| of the input last loaded. */
    double inputMeanAbs() {
        return inputMeanAbs;
    }

    /** Back-propagates the output delta to every layer. */
    void backward() {
        for (int l = layers.size() - 1; l > 0; l--) {
            layers.get(l).backward(layers.get(l - 1));
        }
    }

    /** The class predicted by the last forward pass; -1 for numeric heads. */
    int predicted() {
        if (objective.isNumeric()) {
            return -1;
        }
        DenseLayer output = layers.get(layers.size() - 1);
        return objective.predict(output.preActivation, 0, output.fanOut);
    }

    /** The target the head trains towards for a class label (binary heads: 1 for the positive class, else 0). */
    int target(int label) {
        if (objective.isBinary()) {
            return label == config.positiveClass() ? 1 : 0;
        }
        if (label < 0 || label >= config.outputSize()) {
            throw new IllegalArgumentException("label " + label + " is outside the model's classes 0.."
                    + (config.outputSize() - 1));
        }
        return label;
    }
}
