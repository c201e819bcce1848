package dev.streamlearn.cli;

import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OptimizerSpec;
import dev.streamlearn.diagnosis.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Option;

/** The model flags every training command takes: a preset, then any field overridden. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "M1|M2|M3|M4", defaultValue = "M2",
            description = "Preset: M1 logistic 7-vs-rest, M2 softmax 784-10, M3 784-128-10 ReLU, "
                    + "M4 784-256-256-10 tanh (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--scenario", paramLabel = "NAME", description = "A broken set-up to diagnose, instead of a "
            + "preset: seed000-double-sigmoid, seed001-deep-tanh, seed004-deep-relu-tiny-init, high-lr.")
    String scenario;

    @Option(names = "--layers", paramLabel = "784-256-10", description = "Layer widths, input to output.")
    String layers;

    @Option(names = "--activation", description = "Hidden activation: identity, sigmoid, tanh, relu, leaky-relu.")
    String activation;

    @Option(names = "--loss", description = "Output head: softmax-cross-entropy, sigmoid-cross-entropy, softmax-mse, "
            + "sigmoid-mse, identity-mse, double-sigmoid (the sigmoid-then-with-logits bug, on purpose).")
    String loss;

    @Option(names = "--binary-digit", paramLabel = "D", description = "Train D vs rest with one sigmoid output.")
    Integer binaryDigit;

    @Option(names = "--init", paramLabel = "SPEC", description = "Weight initialiser: zeros, constant:C, uniform:A:B, "
            + "normal:M:S, truncated-normal:M:S, xavier-uniform, xavier-normal, he-uniform, he-normal.")
    String init;

    @Option(names = "--first-layer-init", paramLabel = "SPEC", description = "Initialiser of the first layer only.")
    String firstLayerInit;

    @Option(names = "--bias-init", paramLabel = "SPEC", description = "Bias initialiser (same syntax as --init).")
    String biasInit;

    @Option(names = "--optimizer", description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate.")
    Double learningRate;

    @Option(names = "--momentum", description = "Momentum of momentum and nesterov, in [0, 1).")
    Double momentum;

    @Option(names = "--beta1", description = "Adam beta1, in [0, 1).")
    Double beta1;

    @Option(names = "--beta2", description = "Adam beta2, in [0, 1).")
    Double beta2;

    @Option(names = "--epsilon", description = "Denominator guard of adagrad, rmsprop, adam.")
    Double epsilon;

    @Option(names = "--rho", description = "RMSProp decay, in [0, 1).")
    Double rho;

    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay.")
    Double weightDecay;

    @Option(names = "--l2", description = "L2 penalty added to every gradient.")
    Double l2;

    @Option(names = "--schedule", paramLabel = "SPEC", description = "constant, exponential:RATE:STEPS, "
            + "step:GAMMA:EVERY, inverse-time:DECAY.")
    String schedule;

    @Option(names = "--clip-value", description = "Clip gradient elements to [-v, v].")
    Double clipValue;

    @Option(names = "--clip-norm", description = "Rescale gradients whose global L2 norm exceeds this.")
    Double clipNorm;

    @Option(names = "--seed", description = "Seed of the initialisers.")
    Long seed;

    @Option(names = "--init-from", paramLabel = "FILE.npz", description = "Start from exported weights.")
    Path initFrom;

    /** The optimiser hyperparameters given (by flag, environment or properties file), by flag name. */
    private Map<String, Double> givenHyperparameters() {
        Map<String, Double> given = new LinkedHashMap<>();
        given.put("momentum", momentum);
        given.put("beta1", beta1);
        given.put("beta2", beta2);
        given.put("epsilon", epsilon);
        given.put("rho", rho);
        given.put("weight-decay", weightDecay);
        given.values().removeIf(Objects::isNull);
        return given;
    }

    /** Builds the configuration; a hyperparameter the chosen optimiser does not take is refused, not ignored. */
    ModelConfig toConfig() {
        ModelConfig config = build();
        OptimizerSpec optimizerSpec = config.optimizerSpec();
        for (String given : givenHyperparameters().keySet()) {
            if (!optimizerSpec.hyperparameters().contains(given)) {
                throw new IllegalArgumentException("--" + given + " is not a hyperparameter of "
                        + optimizerSpec.name() + ", which takes " + (optimizerSpec.hyperparameters().isEmpty()
                        ? "only --lr" : "--lr and --" + String.join(", --", optimizerSpec.hyperparameters())));
            }
        }
        return config;
    }

    private ModelConfig build() {
        ModelConfig.Builder builder = scenario != null ? Scenario.parse(scenario).config() : ModelConfig.preset(preset);
        if (layers != null) {
            builder.layers(parseLayers(layers));
        }
        if (activation != null) {
            builder.activation(activation);
        }
        if (loss != null) {
            builder.loss(loss);
        }
        if (binaryDigit != null) {
            builder.positiveClass(binaryDigit);
            if (loss == null) {
                builder.loss("sigmoid-cross-entropy");
            }
        }
        if (init != null) {
            builder.weightInit(init);
        }
        if (firstLayerInit != null) {
            builder.firstLayerWeightInit(firstLayerInit);
        }
        if (biasInit != null) {
            builder.biasInit(biasInit);
        }
        if (optimizer != null) {
            builder.optimizer(optimizer);
        }
        if (learningRate != null) {
            builder.learningRate(learningRate);
        }
        if (momentum != null) {
            builder.momentum(momentum);
        }
        if (beta1 != null) {
            builder.beta1(beta1);
        }
        if (beta2 != null) {
            builder.beta2(beta2);
        }
        if (epsilon != null) {
            builder.epsilon(epsilon);
        }
        if (rho != null) {
            builder.rho(rho);
        }
        if (weightDecay != null) {
            builder.weightDecay(weightDecay);
        }
        if (l2 != null) {
            builder.l2(l2);
        }
        if (schedule != null) {
            builder.schedule(schedule);
        }
        if (clipValue != null) {
            builder.clipValue(clipValue);
        }
        if (clipNorm != null) {
            builder.clipNorm(clipNorm);
        }
        if (seed != null) {
            builder.seed(seed);
        }
        return builder.build();
    }

    private static List<Integer> parseLayers(String text) {
        List<Integer> widths = new ArrayList<>();
        for (String part : text.split("-")) {
            try {
                widths.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--layers is '" + text + "', expected widths such as 784-256-10");
            }
        }
        return widths;
    }
}
