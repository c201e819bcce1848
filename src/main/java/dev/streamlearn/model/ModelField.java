package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The one table of a model configuration's fields as text: each field's flag and properties key, its key in the
 * exported JSON, its help, and its one parse (into a {@link ModelConfig.Builder}) and print (from a
 * {@link ModelConfig}). The command-line options, the properties keys, {@code --print-config} and the snapshot's JSON
 * are all derived from it.
 */
public enum ModelField {
    LAYERS("layers", "layers", "784-256-10", "Layer widths, input to output.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            List<Integer> widths = new ArrayList<>();
            for (String part : text.split("-")) {
                try {
                    widths.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--layers is '" + text + "', expected widths such as "
                            + "784-256-10");
                }
            }
            builder.layers(widths);
        }

        @Override
        public String text(ModelConfig config) {
            StringBuilder text = new StringBuilder();
            for (int width : config.layers()) {
                text.append(text.length() == 0 ? "" : "-").append(width);
            }
            return text.toString();
        }
    },
    ACTIVATION("activation", "activation", "NAME", "Hidden activation: identity, sigmoid, tanh, relu, leaky-relu.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.activation(Activation.parse(text));
        }

        @Override
        public String text(ModelConfig config) {
            return config.activation().flagName();
        }
    },
    LOSS("loss", "loss", "NAME", "Output head: softmax-cross-entropy, sigmoid-cross-entropy, softmax-mse, "
            + "sigmoid-mse, identity-mse, double-sigmoid (the sigmoid-then-with-logits bug, on purpose).") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.loss(Objective.parse(text));
        }

        @Override
        public String text(ModelConfig config) {
            return config.loss().flagName();
        }
    },
    BINARY_DIGIT("binary-digit", "positiveClass", "D", "Train D vs rest with one sigmoid output.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.positiveClass(parseInt(this, text));
        }

        @Override
        public String text(ModelConfig config) {
            return String.valueOf(config.positiveClass());
        }
    },
    INIT("init", "weightInit", "SPEC", "Weight initialiser: zeros, constant:C, uniform:A:B, normal:M:S, "
            + "truncated-normal:M:S, xavier-uniform, xavier-normal, he-uniform, he-normal.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.weightInit(Initialiser.parse(text));
        }

        @Override
        public String text(ModelConfig config) {
            return config.weightInit().spec();
        }
    },
    FIRST_LAYER_INIT("first-layer-init", "firstLayerWeightInit", "SPEC", "Initialiser of the first layer only.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.firstLayerWeightInit(Initialiser.parse(text));
        }

        @Override
        public String text(ModelConfig config) {
            return config.firstLayerWeightInit() == null ? null : config.firstLayerWeightInit().spec();
        }
    },
    BIAS_INIT("bias-init", "biasInit", "SPEC", "Bias initialiser (same syntax as --init).") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.biasInit(Initialiser.parse(text));
        }

        @Override
        public String text(ModelConfig config) {
            return config.biasInit().spec();
        }
    },
    OPTIMIZER("optimizer", "optimizer", "NAME", "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.optimizer(text);
        }

        @Override
        public String text(ModelConfig config) {
            return config.optimizer().name();
        }
    },
    LR("lr", "learningRate", "RATE", "Learning rate.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.learningRate(parseDouble(this, text));
        }

        @Override
        public String text(ModelConfig config) {
            return String.valueOf(config.learningRate());
        }
    },
    MOMENTUM("momentum", "momentum", "MU", "Momentum of momentum and nesterov, in [0, 1)."),
    BETA1("beta1", "beta1", "B1", "Adam and AdamW first-moment decay, in [0, 1)."),
    BETA2("beta2", "beta2", "B2", "Adam and AdamW second-moment decay, in [0, 1)."),
    EPSILON("epsilon", "epsilon", "EPS", "Denominator guard of adagrad, rmsprop, adam, adamw, > 0."),
    RHO("rho", "rho", "RHO", "RMSProp decay, in [0, 1)."),
    WEIGHT_DECAY("weight-decay", "weightDecay", "WD", "AdamW decoupled weight decay, >= 0."),
    L2("l2", "l2", "L2", "L2 penalty added to every gradient.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.l2(parseDouble(this, text));
        }

        @Override
        public String text(ModelConfig config) {
            return String.valueOf(config.l2());
        }
    },
    SCHEDULE("schedule", "schedule", "SPEC", "constant, exponential:RATE:STEPS, step:GAMMA:EVERY, "
            + "inverse-time:DECAY.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.schedule(LearningRateSchedule.parse(text));
        }

        @Override
        public String text(ModelConfig config) {
            return config.schedule().spec();
        }
    },
    CLIP_VALUE("clip-value", "clipValue", "V", "Clip gradient elements to [-v, v].") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.clipValue(parseDouble(this, text));
        }

        @Override
        public String text(ModelConfig config) {
            return String.valueOf(config.clipValue());
        }
    },
    CLIP_NORM("clip-norm", "clipNorm", "N", "Rescale gradients whose global L2 norm exceeds this.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.clipNorm(parseDouble(this, text));
        }

        @Override
        public String text(ModelConfig config) {
            return String.valueOf(config.clipNorm());
        }
    },
    SEED("seed", "seed", "S", "Seed of the initialisers.") {
        @Override
        public void apply(ModelConfig.Builder builder, String text) {
            builder.seed(parseLong(this, text));
        }

        @Override
        public String text(ModelConfig config) {
            return String.valueOf(config.seed());
        }
    };

    private final String flag;
    private final String jsonKey;
    private final String paramLabel;
    private final String description;

    ModelField(String flag, String jsonKey, String paramLabel, String description) {
        this.flag = flag;
        this.jsonKey = jsonKey;
        this.paramLabel = paramLabel;
        this.description = description;
    }

    /** The flag without dashes, which is also the properties key: {@code lr}. */
    public String flag() {
        return flag;
    }

    /** The key in the exported JSON: {@code learningRate}. */
    public String jsonKey() {
        return jsonKey;
    }

    public String paramLabel() {
        return paramLabel;
    }

    public String description() {
        return description;
    }

    /** Whether this field is a hyperparameter that only some optimisers take. */
    public boolean isOptimizerHyperparameter() {
        return OptimizerSpec.DEFAULTS.containsKey(flag);
    }

    /**
     * Sets this field of the builder from its text; a bad value fails naming the field. By default (the optimiser
     * hyperparameters) the value is kept for the optimiser to take or refuse.
     */
    public void apply(ModelConfig.Builder builder, String text) {
        builder.hyperparameter(flag, parseDouble(this, text));
    }

    /** This field of a configuration as text that {@link #apply} reads back, or null where it does not apply. */
    public String text(ModelConfig config) {
        Double value = config.optimizer().hyperparameters().get(flag);
        return value == null ? null : String.valueOf(value);
    }

    private static double parseDouble(ModelField field, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + field.flag + " is '" + text + "', expected a number");
        }
    }

    private static int parseInt(ModelField field, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + field.flag + " is '" + text + "', expected a whole number");
        }
    }

    private static long parseLong(ModelField field, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + field.flag + " is '" + text + "', expected a whole number");
        }
    }
}
