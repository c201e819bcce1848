package dev.streamlearn.model;

import java.util.List;

/**
 * Which optimiser a model trains with, holding exactly that optimiser's hyperparameters, each range-checked on
 * construction. Its {@link #name()} is the flag text; {@link #hyperparameters()} names the flags it takes besides the
 * learning rate, so that a flag it does not take is refused rather than ignored.
 */
public sealed interface OptimizerSpec {
    /** Every optimiser's flag text, in the order help lists them. */
    List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

    String name();

    /** The hyperparameter flags (without dashes) this optimiser takes. */
    List<String> hyperparameters();

    /** A fresh optimiser for these parameters, its state zero. */
    Optimiser create(List<FloatTensor> parameters);

    /** The spec a ModelConfig's fields describe; fields the named optimiser does not take are not read. */
    static OptimizerSpec of(String name, double momentum, double beta1, double beta2, double epsilon, double rho,
                            double weightDecay) {
        switch (name) {
            case "sgd":
                return new Sgd();
            case "momentum":
                return new Momentum(momentum);
            case "nesterov":
                return new Nesterov(momentum);
            case "adagrad":
                return new AdaGrad(epsilon);
            case "rmsprop":
                return new RmsProp(rho, epsilon);
            case "adam":
                return new Adam(beta1, beta2, epsilon);
            case "adamw":
                return new AdamW(beta1, beta2, epsilon, weightDecay);
            default:
                throw new IllegalArgumentException("optimizer is '" + name + "', expected one of " + NAMES);
        }
    }

    /** Plain SGD: no hyperparameters but the learning rate. */
    record Sgd() implements OptimizerSpec {
        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public List<String> hyperparameters() {
            return List.of();
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Sgd();
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
        public List<String> hyperparameters() {
            return List.of("momentum");
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Momentum(parameters, momentum);
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
        public List<String> hyperparameters() {
            return List.of("momentum");
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Nesterov(parameters, momentum);
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
        public List<String> hyperparameters() {
            return List.of("epsilon");
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.AdaGrad(parameters, epsilon);
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
        public List<String> hyperparameters() {
            return List.of("rho", "epsilon");
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.RmsProp(parameters, rho, epsilon);
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
        public List<String> hyperparameters() {
            return List.of("beta1", "beta2", "epsilon");
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Adam(parameters, beta1, beta2, epsilon, 0);
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
        public List<String> hyperparameters() {
            return List.of("beta1", "beta2", "epsilon", "weight-decay");
        }

        @Override
        public Optimiser create(List<FloatTensor> parameters) {
            return new dev.streamlearn.model.Adam(parameters, beta1, beta2, epsilon, weightDecay);
        }
    }
}
