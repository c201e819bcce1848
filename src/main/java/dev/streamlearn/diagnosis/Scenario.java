package dev.streamlearn.diagnosis;

import dev.streamlearn.model.Activation;
import dev.streamlearn.model.Initialiser;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Set-ups taken from real people's questions about networks that do not learn, each with the documented fix. The
 * monitor must name each problem within 2,000 samples, and must stay silent on the fix.
 */
public enum Scenario {
    /** Sigmoid applied, then a sigmoid-with-logits loss, on uniform(0, 1) weights: the output saturates, weights freeze. */
    SEED000_DOUBLE_SIGMOID("seed000-double-sigmoid",
            "binary 7 vs rest, sigmoid then sigmoid-with-logits loss, uniform(0,1) init, SGD lr 0.01",
            "a single sigmoid (the with-logits loss applies it) and a small symmetric init, uniform(-0.01, 0.01)"),
    /** 16 tanh layers of 64 with a too-small uniform init: gradients shrink ~0.6x per layer on the way down. */
    SEED001_DEEP_TANH("seed001-deep-tanh",
            "16 tanh hidden layers of 64, uniform(+-0.125) init (first layer +-0.0357), SGD lr 0.001",
            "Xavier (Glorot) uniform init, which keeps each layer's gain near 1"),
    /** 3 ReLU layers of 16 with N(0, 1e-3) init: every signal, forward and backward, is ~1e-3 of what it should be. */
    SEED004_DEEP_RELU_TINY_INIT("seed004-deep-relu-tiny-init",
            "3 ReLU hidden layers of 16, N(0, 1e-3) init, SGD lr 0.001",
            "He normal init, N(0, 2 / fan_in), the scale ReLU layers need"),
    /**
     * The seed-004 question exactly: a 1-16-16-1 ReLU net fed x in [-1, 1] to estimate 2 x output = x, squared error,
     * N(0, 1e-3) weights and biases, SGD 1e-3, gradients clipped at 4.5: the estimate converges to a constant.
     */
    SEED004_IDENTITY("seed004-identity",
            "1-16-16-1 ReLU, estimate = 2 x output, target x for x uniform in [-1, 1], squared error, N(0, 1e-3) "
                    + "weights and biases, SGD lr 0.001, gradients clipped by value at 4.5",
            "Xavier (Glorot) uniform init and biases 0.1, as the accepted answer did"),
    /** M3 with a learning rate 100x too high: the loss jumps around or diverges. */
    HIGH_LR("high-lr", "M3 (784-128-10 ReLU, He init) with SGD lr 1.0", "learning rate 0.01");

    private final String flagName;
    private final String description;
    private final String fix;

    Scenario(String flagName, String description, String fix) {
        this.flagName = flagName;
        this.description = description;
        this.fix = fix;
    }

    public String flagName() {
        return flagName;
    }

    public String description() {
        return description;
    }

    public String fix() {
        return fix;
    }

    /** The synthetic stream the scenario trains on (see {@code produce --synthetic}), or null for MNIST. */
    public String syntheticStream() {
        return this == SEED004_IDENTITY ? "identity" : null;
    }

    /** The broken set-up, as a builder so model flags can still override fields. */
    public ModelConfig.Builder config() {
        switch (this) {
            case SEED000_DOUBLE_SIGMOID:
                return ModelConfig.preset("M1").name(flagName).loss(Objective.DOUBLE_SIGMOID)
                        .weightInit(new Initialiser.Uniform(0, 1));
            case SEED001_DEEP_TANH:
                return ModelConfig.preset("M4").name(flagName).layers(deep(16, 64)).activation(Activation.TANH)
                        .weightInit(new Initialiser.Uniform(-0.125, 0.125))
                        .firstLayerWeightInit(new Initialiser.Uniform(-0.0357, 0.0357))
                        .learningRate(0.001);
            case SEED004_DEEP_RELU_TINY_INIT:
                return ModelConfig.preset("M3").name(flagName).layers(deep(3, 16))
                        .weightInit(new Initialiser.Normal(0, 0.001, false))
                        .learningRate(0.001);
            case SEED004_IDENTITY:
                return ModelConfig.preset("M3").name(flagName).layers(List.of(1, 16, 16, 1)).loss(Objective.MSE)
                        .outputScale(2).weightInit(new Initialiser.Normal(0, 0.001, false))
                        .biasInit(new Initialiser.Normal(0, 0.001, false)).learningRate(0.001).clipValue(4.5);
            case HIGH_LR:
                return ModelConfig.preset("M3").name(flagName).learningRate(1.0);
            default:
                throw new IllegalStateException("unhandled scenario " + this);
        }
    }

    /** The same set-up with the documented fix applied. */
    public ModelConfig.Builder fixedConfig() {
        switch (this) {
            case SEED000_DOUBLE_SIGMOID:
                return config().name(flagName + "-fixed").loss(Objective.SIGMOID_CROSS_ENTROPY)
                        .weightInit(new Initialiser.Uniform(-0.01, 0.01));
            case SEED001_DEEP_TANH:
                return config().name(flagName + "-fixed").weightInit(new Initialiser.Xavier(true))
                        .firstLayerWeightInit(null);
            case SEED004_DEEP_RELU_TINY_INIT:
                return config().name(flagName + "-fixed").weightInit(new Initialiser.He(false));
            case SEED004_IDENTITY:
                return config().name(flagName + "-fixed").weightInit(new Initialiser.Xavier(true))
                        .biasInit(new Initialiser.Constant(0.1));
            case HIGH_LR:
                return config().name(flagName + "-fixed").learningRate(0.01);
            default:
                throw new IllegalStateException("unhandled scenario " + this);
        }
    }

    private static List<Integer> deep(int hiddenLayers, int width) {
        List<Integer> layers = new ArrayList<>();
        layers.add(784);
        for (int i = 0; i < hiddenLayers; i++) {
            layers.add(width);
        }
        layers.add(10);
        return layers;
    }

    public static Scenario parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Scenario scenario : values()) {
            if (scenario.flagName.equals(wanted)) {
                return scenario;
            }
        }
        List<String> names = new ArrayList<>();
        for (Scenario scenario : values()) {
            names.add(scenario.flagName);
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "', expected one of " + names);
    }
}
