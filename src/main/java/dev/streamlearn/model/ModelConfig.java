package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that defines a model and how it learns: architecture, head, initialisation, optimiser, schedule,
 * regularisation and seed, as typed values. Immutable and validated on construction, so a bad value fails with its
 * name before any training starts. Text exists only at the edges (flags, properties, the exported JSON), parsed and
 * printed through {@link ModelField}.
 *
 * @param name preset name or "custom"
 * @param layers layer widths from input to output, e.g. [784, 256, 256, 10]
 * @param activation hidden-layer activation
 * @param loss the output head
 * @param positiveClass the class scored against the rest by a binary head; -1 for multi-class heads
 * @param weightInit initialiser of every weight matrix
 * @param firstLayerWeightInit initialiser of the first weight matrix only, or null to use weightInit
 * @param biasInit initialiser of every bias
 * @param optimizer the optimiser with exactly its hyperparameters
 * @param learningRate base learning rate, > 0
 * @param l2 L2 penalty added to the gradient (l2 * W) for every optimiser, >= 0
 * @param schedule learning-rate schedule
 * @param clipValue clip every gradient element to [-clipValue, clipValue]; 0 = off
 * @param clipNorm rescale the whole gradient when its global L2 norm exceeds clipNorm; 0 = off
 * @param seed seed of every random draw
 * @param huberDelta where the huber head's loss turns from squared to linear, > 0
 * @param standardise standardise every input by the running mean and variance of the inputs trained on
 * @param outputScale numeric heads learn s z: the estimate is the output times this, finite and not 0 (1 for class
 *                    heads)
 */
public record ModelConfig(
        String name,
        List<Integer> layers,
        Activation activation,
        Objective loss,
        int positiveClass,
        Initialiser weightInit,
        Initialiser firstLayerWeightInit,
        Initialiser biasInit,
        OptimizerSpec optimizer,
        double learningRate,
        double l2,
        LearningRateSchedule schedule,
        double clipValue,
        double clipNorm,
        long seed,
        double huberDelta,
        double outputScale,
        boolean standardise) {

    public ModelConfig {
        layers = List.copyOf(layers);
        if (layers.size() < 2) {
            throw new IllegalArgumentException("layers is " + layers + ", expected at least input and output sizes");
        }
        for (int width : layers) {
            if (width <= 0) {
                throw new IllegalArgumentException("layers is " + layers + ", every width must be > 0");
            }
        }
        int outputs = layers.get(layers.size() - 1);
        if (loss.isBinary()) {
            if (outputs != 1) {
                throw new IllegalArgumentException("loss " + loss.flagName() + " needs 1 output, layers end in "
                        + outputs);
            }
            if (positiveClass < 0 || positiveClass > 9) {
                throw new IllegalArgumentException("binary-digit (the positive class of loss " + loss.flagName()
                        + ") is " + positiveClass + ", expected a digit 0-9");
            }
        } else if (outputs < 2 && loss != Objective.IDENTITY_MSE && loss != Objective.SIGMOID_MSE
                && !loss.isNumeric()) {
            throw new IllegalArgumentException("loss " + loss.flagName() + " needs >= 2 outputs, layers end in "
                    + outputs);
        }
        Hyperparameters.positive("learning rate", learningRate);
        Hyperparameters.nonNegative("l2", l2);
        Hyperparameters.nonNegative("clip-value", clipValue);
        Hyperparameters.nonNegative("clip-norm", clipNorm);
        Hyperparameters.positive("huber-delta", huberDelta);
        if (!Double.isFinite(outputScale) || outputScale == 0) {
            throw new IllegalArgumentException("output-scale is " + outputScale + ", expected a finite number other "
                    + "than 0");
        }
        if (outputScale != 1 && !loss.isNumeric()) {
            throw new IllegalArgumentException("output-scale is " + outputScale + ", but it applies only to the mse "
                    + "and huber heads, not " + loss.flagName());
        }
    }

    /** Defaults shared by the presets: plain SGD, lr 0.01, zero biases, seed 42. */
    private static Builder defaults(String name, List<Integer> layers, Activation activation, Initialiser weightInit) {
        return new Builder().name(name).layers(layers).activation(activation).loss(Objective.SOFTMAX_CROSS_ENTROPY)
                .positiveClass(-1).weightInit(weightInit).biasInit(new Initialiser.Zeros())
                .optimizer(new OptimizerSpec.Sgd()).learningRate(0.01).l2(0)
                .schedule(new LearningRateSchedule.Constant()).clipValue(0).clipNorm(0).seed(42);
    }

    /** The preset named M1, M2, M3 or M4 (case-insensitive), as a builder so fields can be overridden. */
    public static Builder preset(String name) {
        switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "M1":
                return defaults("M1", List.of(784, 1), Activation.IDENTITY, new Initialiser.Uniform(-0.01, 0.01))
                        .loss(Objective.SIGMOID_CROSS_ENTROPY).positiveClass(7);
            case "M2":
                return defaults("M2", List.of(784, 10), Activation.IDENTITY, new Initialiser.Uniform(-0.01, 0.01));
            case "M3":
                return defaults("M3", List.of(784, 128, 10), Activation.RELU, new Initialiser.He(false));
            case "M4":
                return defaults("M4", List.of(784, 256, 256, 10), Activation.TANH, new Initialiser.Xavier(true));
            default:
                throw new IllegalArgumentException("unknown model preset '" + name + "', expected M1, M2, M3 or M4");
        }
    }

    /** The same model trained with plain SGD at the same learning rate: the baseline other optimisers are timed against. */
    public ModelConfig withPlainSgd() {
        return new ModelConfig(name, layers, activation, loss, positiveClass, weightInit, firstLayerWeightInit, biasInit,
                new OptimizerSpec.Sgd(), learningRate, l2, schedule, clipValue, clipNorm, seed, huberDelta, outputScale,
                standardise);
    }

    /** The same model at another learning rate (a simulation scales it with the number of averaged replicas). */
    public ModelConfig withLearningRate(double rate) {
        return new ModelConfig(name, layers, activation, loss, positiveClass, weightInit, firstLayerWeightInit, biasInit,
                optimizer, rate, l2, schedule, clipValue, clipNorm, seed, huberDelta, outputScale, standardise);
    }

    public int inputSize() {
        return layers.get(0);
    }

    public int outputSize() {
        return layers.get(layers.size() - 1);
    }

    /** One line for logs and summaries, e.g. "M4 784-256-256-10 tanh softmax-cross-entropy sgd lr=0.01". */
    public String describe() {
        StringBuilder widths = new StringBuilder();
        for (int width : layers) {
            widths.append(widths.length() == 0 ? "" : "-").append(width);
        }
        return name + " " + widths + " " + activation.flagName() + " " + loss.flagName()
                + (positiveClass >= 0 ? "(" + positiveClass + " vs rest)" : "") + " " + optimizer.name()
                + " lr=" + learningRate;
    }

    /**
     * Optional fields, so flags and properties override only what they set. The optimiser is either given whole
     * ({@link #optimizer(OptimizerSpec)}) or by name and hyperparameters, as flags give it; then the hyperparameters
     * not given take their defaults and one the optimiser does not take is refused.
     */
    public static final class Builder {
        private String name = "custom";
        private List<Integer> layers;
        private Activation activation;
        private Objective loss;
        private Integer positiveClass;
        private Initialiser weightInit;
        private Initialiser firstLayerWeightInit;
        private Initialiser biasInit;
        private OptimizerSpec optimizer;
        private String optimizerName;
        private final Map<String, Double> hyperparameters = new HashMap<>();
        private Double learningRate;
        private Double l2;
        private LearningRateSchedule schedule;
        private Double clipValue;
        private Double clipNorm;
        private Long seed;
        private double huberDelta = 1.0;
        private double outputScale = 1.0;
        private boolean standardise;

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder layers(List<Integer> value) {
            layers = new ArrayList<>(value);
            return this;
        }

        public Builder activation(Activation value) {
            activation = value;
            return this;
        }

        public Builder loss(Objective value) {
            loss = value;
            return this;
        }

        public Builder positiveClass(int value) {
            positiveClass = value;
            return this;
        }

        public Builder weightInit(Initialiser value) {
            weightInit = value;
            return this;
        }

        public Builder firstLayerWeightInit(Initialiser value) {
            firstLayerWeightInit = value;
            return this;
        }

        public Builder biasInit(Initialiser value) {
            biasInit = value;
            return this;
        }

        public Builder optimizer(OptimizerSpec value) {
            optimizer = value;
            optimizerName = null;
            hyperparameters.clear();
            return this;
        }

        /** The optimiser by its flag name; its hyperparameters come from {@link #hyperparameter} or defaults. */
        public Builder optimizer(String value) {
            optimizerName = value;
            return this;
        }

        /** One optimiser hyperparameter by its flag name (momentum, beta1, beta2, epsilon, rho, weight-decay). */
        public Builder hyperparameter(String key, double value) {
            hyperparameters.put(key, value);
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder l2(double value) {
            l2 = value;
            return this;
        }

        public Builder schedule(LearningRateSchedule value) {
            schedule = value;
            return this;
        }

        public Builder clipValue(double value) {
            clipValue = value;
            return this;
        }

        public Builder clipNorm(double value) {
            clipNorm = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder huberDelta(double value) {
            huberDelta = value;
            return this;
        }

        public Builder outputScale(double value) {
            outputScale = value;
            return this;
        }

        public Builder standardise(boolean value) {
            standardise = value;
            return this;
        }

        public ModelConfig build() {
            OptimizerSpec resolved = optimizer;
            if (optimizerName != null || !hyperparameters.isEmpty()) {
                resolved = OptimizerSpec.of(optimizerName != null ? optimizerName : required(optimizer, "optimizer")
                        .name(), hyperparameters);
            }
            return new ModelConfig(name, required(layers, "layers"), required(activation, "activation"),
                    required(loss, "loss"), required(positiveClass, "positive class"),
                    required(weightInit, "weight init"), firstLayerWeightInit, required(biasInit, "bias init"),
                    required(resolved, "optimizer"), required(learningRate, "learning rate"), required(l2, "l2"),
                    required(schedule, "schedule"), required(clipValue, "clip value"),
                    required(clipNorm, "clip norm"), required(seed, "seed"), huberDelta, outputScale, standardise);
        }

        private static <T> T required(T value, String what) {
            if (value == null) {
                throw new IllegalArgumentException("the model configuration has no " + what);
            }
            return value;
        }
    }
}
