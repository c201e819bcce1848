package dev.streamlearn.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which optimiser a model trains with, holding exactly that optimiser's hyperparameters, each range-checked on
 * construction. Its {@link #name()} is the flag text; {@link #hyperparameters()} names the flags it takes besides the
 * learning rate, so that a flag it does not take is refused rather than ignored.
 */
public sealed interface OptimizerSpec {
    /** Every optimiser's flag text, in the order help lists them. */
    List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

    String name();

    /** The hyperparameters this optimiser takes besides the learning rate, by flag name (no dashes), in order. */
    Map<String, Double> hyperparameters();

    /** A fresh optimiser for these parameters, its state zero. */
    Optimiser create(List<FloatTensor> parameters);

    /** How many tensors of each parameter's shape its state holds (what a snapshot stores besides the parameters). */
    int stateCopies();

    /** Each hyperparameter's value when it is not given. */
    Map<String, Double> DEFAULTS = Map.of("momentum", 0.9, "beta1", 0.9, "beta2", 0.999, "epsilon", 1e-8, "rho", 0.9,
            "weight-decay", 0.0);

    /**
     * The optimiser of that name with the given hyperparameters, the others at their {@link #DEFAULTS}. A given
     * hyperparameter the optimiser does not take is refused, not ignored.
     */
    static OptimizerSpec of(String name, Map<String, Double> given) {
        String optimizer = name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(optimizer)) {
            throw new IllegalArgumentException("optimizer is '" + name + "', expected one of " + NAMES);
        }
        Map<String, Double> values = new HashMap<>(DEFAULTS);
        values.putAll(given);
        OptimizerSpec spec = switch (optimizer) {
            case "sgd" -> new Sgd();
            case "momentum" -> new Momentum(values.get("momentum"));
            case "nesterov" -> new Nesterov(values.get("momentum"));
            case "adagrad" -> new AdaGrad(values.get("epsilon"));
            case "rmsprop" -> new RmsProp(values.get("rho"), values.get("epsilon"));
            case "adam" -> new Adam(values.get("beta1"), values.get("beta2"), values.get("epsilon"));
            default -> new AdamW(values.get("beta1"), values.get("beta2"), values.get("epsilon"),
                    values.get("weight-decay"));
        };
        for (String key : given.keySet()) {
            if (!spec.hyperparameters().containsKey(key)) {
                throw new IllegalArgumentException("--" + key + " is not a hyperparameter of " + optimizer
                        + ", which takes " + (spec.hyperparameters().isEmpty() ? "only --lr"
                        : "--lr and --" + String.join(", --", spec.hyperparameters().keySet())));
            }
        }
        return spec;
    }

    /** Keys and values, alternating, in a map that keeps their order. */
    private static Map<String, Double> ordered(Object... keysAndValues) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (Double) keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Plain SGD: no hyperparameters but the learning rate. */
    record Sgd() implements OptimizerSpec {
        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public Map<String, Double> hyperparameters() {
            return Map.of();
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Sgd();
        }

        @Override
        public int stateCopies() {
            return 0;
        }
    }

    /** Heavy-ball momentum, in [0, 1). */
    record Momentum(double momentum) implements OptimizerSpec {
        public Momentum {
            Hyperparameters.unitInterval("momentum", momentum);
        }

        @Override
        public String name() {
            return "momentum";
        }

        @Override
        public Map<String, Double> hyperparameters() {
            return ordered("momentum", momentum);
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Momentum(parameters, momentum);
        }

        @Override
        public int stateCopies() {
            return 1;
        }
    }

    /** Nesterov momentum, in [0, 1). */
    record Nesterov(double momentum) implements OptimizerSpec {
        public Nesterov {
            Hyperparameters.unitInterval("momentum", momentum);
        }

        @Override
        public String name() {
            return "nesterov";
        }

        @Override
        public Map<String, Double> hyperparameters() {
            return ordered("momentum", momentum);
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Nesterov(parameters, momentum);
        }

        @Override
        public int stateCopies() {
            return 1;
        }
    }

    /** AdaGrad with its denominator guard epsilon > 0. */
    record AdaGrad(double epsilon) implements OptimizerSpec {
        public AdaGrad {
            Hyperparameters.positive("epsilon", epsilon);
        }

        @Override
        public String name() {
            return "adagrad";
        }

        @Override
        public Map<String, Double> hyperparameters() {
            return ordered("epsilon", epsilon);
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.AdaGrad(parameters, epsilon);
        }

        @Override
        public int stateCopies() {
            return 1;
        }
    }

    /** RMSProp: decay rho in [0, 1), guard epsilon > 0. */
    record RmsProp(double rho, double epsilon) implements OptimizerSpec {
        public RmsProp {
            Hyperparameters.unitInterval("rho", rho);
            Hyperparameters.positive("epsilon", epsilon);
        }

        @Override
        public String name() {
            return "rmsprop";
        }

        @Override
        public Map<String, Double> hyperparameters() {
            return ordered("rho", rho, "epsilon", epsilon);
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.RmsProp(parameters, rho, epsilon);
        }

        @Override
        public int stateCopies() {
            return 1;
        }
    }

    /** Adam: moment decays beta1, beta2 in [0, 1), guard epsilon > 0. */
    record Adam(double beta1, double beta2, double epsilon) implements OptimizerSpec {
        public Adam {
            Hyperparameters.unitInterval("beta1", beta1);
            Hyperparameters.unitInterval("beta2", beta2);
            Hyperparameters.positive("epsilon", epsilon);
        }

        @Override
        public String name() {
            return "adam";
        }

        @Override
        public Map<String, Double> hyperparameters() {
            return ordered("beta1", beta1, "beta2", beta2, "epsilon", epsilon);
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Adam(parameters, beta1, beta2, epsilon, 0);
        }

        @Override
        public int stateCopies() {
            return 2;
        }
    }

    /** AdamW: Adam's hyperparameters and a decoupled weight decay >= 0. */
    record AdamW(double beta1, double beta2, double epsilon, double weightDecay) implements OptimizerSpec {
        public AdamW {
            Hyperparameters.unitInterval("beta1", beta1);
            Hyperparameters.unitInterval("beta2", beta2);
            Hyperparameters.positive("epsilon", epsilon);
            Hyperparameters.nonNegative("weight-decay", weightDecay);
        }

        @Override
        public String name() {
            return "adamw";
        }

        @Override
        public Map<String, Double> hyperparameters() {
            return ordered("beta1", beta1, "beta2", beta2, "epsilon", epsilon, "weight-decay", weightDecay);
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Adam(parameters, beta1, beta2, epsilon, weightDecay);
        }

        @Override
        public int stateCopies() {
            return 2;
        }
    }
}
