package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything that defines a model and how it learns: architecture, head, initialisation, optimiser, schedule,
 * regularisation and seed. Immutable and validated on construction, so a bad value fails with its name before any
 * training starts. Text fields use the flag syntax of {@link Initialiser}, {@link LearningRateSchedule},
 * {@link Activation} and {@link Objective}.
 *
 * @param name preset name or "custom"
 * @param layers layer widths from input to output, e.g. [784, 256, 256, 10]
 * @param activation hidden-layer activation
 * @param loss the output head
 * @param positiveClass the class scored against the rest by a binary head; -1 for multi-class heads
 * @param weightInit initialiser of every weight matrix
 * @param firstLayerWeightInit initialiser of the first weight matrix only, or null to use weightInit
 * @param biasInit initialiser of every bias
 * @param optimizer sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw
 * @param learningRate base learning rate, > 0
 * @param momentum momentum and nesterov: [0, 1)
 * @param beta1 adam, adamw: [0, 1)
 * @param beta2 adam, adamw: [0, 1)
 * @param epsilon adagrad, rmsprop, adam, adamw: > 0
 * @param rho rmsprop: [0, 1)
 * @param weightDecay adamw's decoupled weight decay, >= 0
 * @param l2 L2 penalty added to the gradient (l2 * W) for every optimiser, >= 0
 * @param schedule learning-rate schedule
 * @param clipValue clip every gradient element to [-clipValue, clipValue]; 0 = off
 * @param clipNorm rescale the whole gradient when its global L2 norm exceeds clipNorm; 0 = off
 * @param seed seed of every random draw
 */
public record ModelConfig(
        String name,
        List<Integer> layers,
        String activation,
        String loss,
        int positiveClass,
        String weightInit,
        String firstLayerWeightInit,
        String biasInit,
        String optimizer,
        double learningRate,
        double momentum,
        double beta1,
        double beta2,
        double epsilon,
        double rho,
        double weightDecay,
        double l2,
        String schedule,
        double clipValue,
        double clipNorm,
        long seed) {

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
        Activation.parse(activation);
        Objective head = Objective.parse(loss);
        int outputs = layers.get(layers.size() - 1);
        if (head.isBinary()) {
            if (outputs != 1) {
                throw new IllegalArgumentException("loss " + loss + " needs 1 output, layers end in " + outputs);
            }
            if (positiveClass < 0) {
                throw new IllegalArgumentException("loss " + loss + " scores one class against the rest: set "
                        + "binary-digit (positive class) to a class >= 0");
            }
        } else if (outputs < 2 && head != Objective.IDENTITY_MSE && head != Objective.SIGMOID_MSE) {
            throw new IllegalArgumentException("loss " + loss + " needs >= 2 outputs, layers end in " + outputs);
        }
        Initialiser.parse(weightInit);
        if (firstLayerWeightInit != null) {
            Initialiser.parse(firstLayerWeightInit);
        }
        Initialiser.parse(biasInit);
        optimizer = optimizer.trim().toLowerCase(Locale.ROOT);
        OptimizerSpec.of(optimizer, momentum, beta1, beta2, epsilon, rho, weightDecay);
        Hyperparameters.positive("learning rate", learningRate);
        Hyperparameters.nonNegative("l2", l2);
        LearningRateSchedule.parse(schedule);
        Hyperparameters.nonNegative("clip-value", clipValue);
        Hyperparameters.nonNegative("clip-norm", clipNorm);
    }

    /** Defaults shared by the presets: plain SGD, lr 0.01, zero biases, usual Adam/RMSProp constants. */
    private static Builder defaults(String name, List<Integer> layers, String activation, String weightInit) {
        return new Builder().name(name).layers(layers).activation(activation).loss("softmax-cross-entropy")
                .positiveClass(-1).weightInit(weightInit).biasInit("zeros").optimizer("sgd").learningRate(0.01)
                .momentum(0.9).beta1(0.9).beta2(0.999).epsilon(1e-8).rho(0.9).weightDecay(0).l2(0)
                .schedule("constant").clipValue(0).clipNorm(0).seed(42);
    }

    /** The preset named M1, M2, M3 or M4 (case-insensitive), as a builder so fields can be overridden. */
    public static Builder preset(String name) {
        switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "M1":
                return defaults("M1", List.of(784, 1), "identity", "uniform:-0.01:0.01")
                        .loss("sigmoid-cross-entropy").positiveClass(7);
            case "M2":
                return defaults("M2", List.of(784, 10), "identity", "uniform:-0.01:0.01");
            case "M3":
                return defaults("M3", List.of(784, 128, 10), "relu", "he-normal");
            case "M4":
                return defaults("M4", List.of(784, 256, 256, 10), "tanh", "xavier-uniform");
            default:
                throw new IllegalArgumentException("unknown model preset '" + name + "', expected M1, M2, M3 or M4");
        }
    }

    /** The same model trained with plain SGD at the same learning rate: the baseline other optimisers are timed against. */
    public ModelConfig withPlainSgd() {
        return new ModelConfig(name, layers, activation, loss, positiveClass, weightInit, firstLayerWeightInit, biasInit,
                "sgd", learningRate, momentum, beta1, beta2, epsilon, rho, weightDecay, l2, schedule, clipValue,
                clipNorm, seed);
    }

    /** The optimiser and exactly its hyperparameters. */
    public OptimizerSpec optimizerSpec() {
        return OptimizerSpec.of(optimizer, momentum, beta1, beta2, epsilon, rho, weightDecay);
    }

    public Activation hiddenActivation() {
        return Activation.parse(activation);
    }

    public Objective objective() {
        return Objective.parse(loss);
    }

    public LearningRateSchedule learningRateSchedule() {
        return LearningRateSchedule.parse(schedule);
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
        return name + " " + widths + " " + activation + " " + loss
                + (positiveClass >= 0 ? "(" + positiveClass + " vs rest)" : "") + " " + optimizer
                + " lr=" + learningRate;
    }

    /** Optional fields, so flags and properties override only what they set. */
    public static final class Builder {
        private String name = "custom";
        private List<Integer> layers;
        private String activation;
        private String loss;
        private Integer positiveClass;
        private String weightInit;
        private String firstLayerWeightInit;
        private String biasInit;
        private String optimizer;
        private Double learningRate;
        private Double momentum;
        private Double beta1;
        private Double beta2;
        private Double epsilon;
        private Double rho;
        private Double weightDecay;
        private Double l2;
        private String schedule;
        private Double clipValue;
        private Double clipNorm;
        private Long seed;

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder layers(List<Integer> value) {
            layers = new ArrayList<>(value);
            return this;
        }

        public Builder activation(String value) {
            activation = value;
            return this;
        }

        public Builder loss(String value) {
            loss = value;
            return this;
        }

        public Builder positiveClass(int value) {
            positiveClass = value;
            return this;
        }

        public Builder weightInit(String value) {
            weightInit = value;
            return this;
        }

        public Builder firstLayerWeightInit(String value) {
            firstLayerWeightInit = value;
            return this;
        }

        public Builder biasInit(String value) {
            biasInit = value;
            return this;
        }

        public Builder optimizer(String value) {
            optimizer = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder momentum(double value) {
            momentum = value;
            return this;
        }

        public Builder beta1(double value) {
            beta1 = value;
            return this;
        }

        public Builder beta2(double value) {
            beta2 = value;
            return this;
        }

        public Builder epsilon(double value) {
            epsilon = value;
            return this;
        }

        public Builder rho(double value) {
            rho = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder l2(double value) {
            l2 = value;
            return this;
        }

        public Builder schedule(String value) {
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

        public ModelConfig build() {
            return new ModelConfig(name, layers, activation, loss, positiveClass, weightInit, firstLayerWeightInit,
                    biasInit, optimizer, learningRate, momentum, beta1, beta2, epsilon, rho, weightDecay, l2,
                    schedule, clipValue, clipNorm, seed);
        }
    }
}
