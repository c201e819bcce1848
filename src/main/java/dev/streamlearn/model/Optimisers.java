package dev.streamlearn.model;

import java.util.List;

/** Builds the optimiser a {@link ModelConfig} names, with its hyperparameters. */
final class Optimisers {
    private Optimisers() {
    }

    static Optimiser create(ModelConfig config, List<FloatTensor> parameters) {
        switch (config.optimizer()) {
            case "sgd":
                return new Sgd();
            case "momentum":
                return new Momentum(parameters, config.momentum());
            case "nesterov":
                return new Nesterov(parameters, config.momentum());
            case "adagrad":
                return new AdaGrad(parameters, config.epsilon());
            case "rmsprop":
                return new RmsProp(parameters, config.rho(), config.epsilon());
            case "adam":
                return new Adam(parameters, config.beta1(), config.beta2(), config.epsilon(), 0);
            case "adamw":
                return new Adam(parameters, config.beta1(), config.beta2(), config.epsilon(), config.weightDecay());
            default:
                throw new IllegalArgumentException("optimizer is '" + config.optimizer() + "', expected one of "
                        + ModelConfig.OPTIMIZERS);
        }
    }
}
