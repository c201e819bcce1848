package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjDoubleConsumer;
import java.util.function.ToDoubleFunction;

/**
 * The one table of a model configuration's fields as text: each field's flag and properties key, its key in the
 * exported JSON, its help, and its one parse (into a {@link ModelConfig.Builder}) and print (from a
 * {@link ModelConfig}). The command-line options, the properties keys, {@code --print-config} and the snapshot's JSON
 * are all derived from it.
 */
public enum ModelField {
    LAYERS("layers", "layers", "784-256-10", "Layer widths, input to output.",
            (builder, text) -> builder.layers(widths(text)), ModelField::widths),
    ACTIVATION("activation", "activation", "NAME", "Hidden activation: identity, sigmoid, tanh, relu, leaky-relu.",
            (builder, text) -> builder.activation(Activation.parse(text)), config -> config.activation().flagName()),
    LOSS("loss", "loss", "NAME", "Output head: softmax-cross-entropy, sigmoid-cross-entropy, softmax-mse, "
            + "sigmoid-mse, identity-mse, double-sigmoid (the sigmoid-then-with-logits bug, on purpose); for numeric "
            + "targets mse, huber.",
            (builder, text) -> builder.loss(Objective.parse(text)), config -> config.loss().flagName()),
    BINARY_DIGIT("binary-digit", "positiveClass", "D", "Train D vs rest with one sigmoid output.",
            (builder, text) -> builder.positiveClass((int) whole("binary-digit", text)),
            config -> String.valueOf(config.positiveClass())),
    INIT("init", "weightInit", "SPEC", "Weight initialiser: zeros, constant:C, uniform:A:B, normal:M:S, "
            + "truncated-normal:M:S, xavier-uniform, xavier-normal, he-uniform, he-normal.",
            (builder, text) -> builder.weightInit(Initialiser.parse(text)), config -> config.weightInit().spec()),
    FIRST_LAYER_INIT("first-layer-init", "firstLayerWeightInit", "SPEC", "Initialiser of the first layer only.",
            (builder, text) -> builder.firstLayerWeightInit(Initialiser.parse(text)),
            config -> config.firstLayerWeightInit() == null ? null : config.firstLayerWeightInit().spec()),
    BIAS_INIT("bias-init", "biasInit", "SPEC", "Bias initialiser (same syntax as --init).",
            (builder, text) -> builder.biasInit(Initialiser.parse(text)), config -> config.biasInit().spec()),
    OPTIMIZER("optimizer", "optimizer", "NAME", "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw.",
            ModelConfig.Builder::optimizer, config -> config.optimizer().name()),
    LR("lr", "learningRate", "RATE", "Learning rate.",
            decimal("lr", ModelConfig.Builder::learningRate), config -> String.valueOf(config.learningRate())),
    MOMENTUM(hyperparameter("momentum", "momentum", "MU", "Momentum of momentum and nesterov, in [0, 1).")),
    BETA1(hyperparameter("beta1", "beta1", "B1", "Adam and AdamW first-moment decay, in [0, 1).")),
    BETA2(hyperparameter("beta2", "beta2", "B2", "Adam and AdamW second-moment decay, in [0, 1).")),
    EPSILON(hyperparameter("epsilon", "epsilon", "EPS", "Denominator guard of adagrad, rmsprop, adam, adamw, > 0.")),
    RHO(hyperparameter("rho", "rho", "RHO", "RMSProp decay, in [0, 1).")),
    WEIGHT_DECAY(hyperparameter("weight-decay", "weightDecay", "WD", "AdamW decoupled weight decay, >= 0.")),
    L2(number("l2", "l2", "L2", "L2 penalty added to every gradient.", ModelConfig.Builder::l2, ModelConfig::l2)),
    SCHEDULE("schedule", "schedule", "SPEC", "constant, exponential:RATE:STEPS, step:GAMMA:EVERY, inverse-time:DECAY.",
            (builder, text) -> builder.schedule(LearningRateSchedule.parse(text)), config -> config.schedule().spec()),
    CLIP_VALUE(number("clip-value", "clipValue", "V", "Clip gradient elements to [-v, v].",
            ModelConfig.Builder::clipValue, ModelConfig::clipValue)),
    CLIP_NORM(number("clip-norm", "clipNorm", "N", "Rescale gradients whose global L2 norm exceeds this.",
            ModelConfig.Builder::clipNorm, ModelConfig::clipNorm)),
    SEED("seed", "seed", "S", "Seed of the initialisers.",
            (builder, text) -> builder.seed(whole("seed", text)), config -> String.valueOf(config.seed())),
    HUBER_DELTA("huber-delta", "huberDelta", "D", "Where the huber head's loss turns from squared to linear, > 0.",
            decimal("huber-delta", ModelConfig.Builder::huberDelta),
            config -> config.loss() == Objective.HUBER ? String.valueOf(config.huberDelta()) : null),
    OUTPUT_SCALE("output-scale", "outputScale", "S", "The mse and huber heads estimate S x output (default 1).",
            decimal("output-scale", ModelConfig.Builder::outputScale),
            config -> config.loss().isNumeric() ? String.valueOf(config.outputScale()) : null),
    STANDARDISE("standardise", "standardise", "true|false", "Standardise every input by the running mean and "
            + "variance of the inputs trained on (part of the model's state).",
            (builder, text) -> builder.standardise(bool("standardise", text)),
            config -> config.standardise() ? "true" : null);

    /** A field's text forms, gathered so that the shapes shared by several fields are written once. */
    private record Form(String flag, String jsonKey, String paramLabel, String description,
                        BiConsumer<ModelConfig.Builder, String> parse, Function<ModelConfig, String> print) {
    }

    private final Form form;

    ModelField(String flag, String jsonKey, String paramLabel, String description,
               BiConsumer<ModelConfig.Builder, String> parse, Function<ModelConfig, String> print) {
        this(new Form(flag, jsonKey, paramLabel, description, parse, print));
    }

    ModelField(Form form) {
        this.form = form;
    }

    /** The flag without dashes, which is also the properties key: {@code lr}. */
    public String flag() {
        return form.flag();
    }

    /** The key in the exported JSON: {@code learningRate}. */
    public String jsonKey() {
        return form.jsonKey();
    }

    public String paramLabel() {
        return form.paramLabel();
    }

    public String description() {
        return form.description();
    }

    /** Whether this field is a hyperparameter that only some optimisers take. */
    public boolean isOptimizerHyperparameter() {
        return OptimizerSpec.DEFAULTS.containsKey(form.flag());
    }

    /** Sets this field of the builder from its text; a bad value fails naming the field. */
    public void apply(ModelConfig.Builder builder, String text) {
        form.parse().accept(builder, text);
    }

    /** This field of a configuration as text that {@link #apply} reads back, or null where it does not apply. */
    public String text(ModelConfig config) {
        return form.print().apply(config);
    }

    /** A decimal field of the configuration itself. */
    private static Form number(String flag, String jsonKey, String paramLabel, String description,
                               ObjDoubleConsumer<ModelConfig.Builder> setter, ToDoubleFunction<ModelConfig> getter) {
        return new Form(flag, jsonKey, paramLabel, description, decimal(flag, setter),
                config -> String.valueOf(getter.applyAsDouble(config)));
    }

    /** An optimiser hyperparameter: kept for the optimiser to take or refuse; printed when the optimiser takes it. */
    private static Form hyperparameter(String flag, String jsonKey, String paramLabel, String description) {
        return new Form(flag, jsonKey, paramLabel, description,
                decimal(flag, (builder, value) -> builder.hyperparameter(flag, value)), config -> {
                    Double value = config.optimizer().hyperparameters().get(flag);
                    return value == null ? null : String.valueOf(value);
                });
    }

    private static BiConsumer<ModelConfig.Builder, String> decimal(String flag,
                                                                    ObjDoubleConsumer<ModelConfig.Builder> setter) {
        return (builder, text) -> {
            try {
                setter.accept(builder, Double.parseDouble(text.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + flag + " is '" + text + "', expected a number");
            }
        };
    }

    /** Whether the field is a switch: given without a value, it is true. */
    public boolean isSwitch() {
        return this == STANDARDISE;
    }

    private static boolean bool(String flag, String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + flag + " is '" + text + "', expected true or false");
        };
    }

    private static long whole(String flag, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " is '" + text + "', expected a whole number");
        }
    }

    private static List<Integer> widths(String text) {
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

    private static String widths(ModelConfig config) {
        StringBuilder text = new StringBuilder();
        for (int width : config.layers()) {
            text.append(text.length() == 0 ? "" : "-").append(width);
        }
        return text.toString();
    }
}
