package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 2-2-1 network (tanh hidden layer, sigmoid cross-entropy output) with hand-set weights: forward, backward and
 * one step of every optimiser written out as scalar arithmetic.
 */
class TinyNetworkByHandTest {
    // W1 rows are hidden units: unit 0 has weights (0.1, -0.2), unit 1 has (0.3, 0.4).
    private static final float[] W1 = {0.1f, -0.2f, 0.3f, 0.4f};
    private static final float[] B1 = {0.01f, -0.02f};
    private static final float[] W2 = {0.5f, -0.6f};
    private static final float[] B2 = {0.05f};
    private static final float[] X = {1.0f, 0.5f};
    private static final double LR = 0.1;

    /** The hand computation: forward values and every gradient, label 1 (positive class) so y = 1. */
    private static final class ByHand {
        final double z10 = 0.1 * 1.0 - 0.2 * 0.5 + 0.01;
        final double z11 = 0.3 * 1.0 + 0.4 * 0.5 - 0.02;
        final double a0 = Math.tanh(z10);
        final double a1 = Math.tanh(z11);
        final double z2 = 0.5 * a0 - 0.6 * a1 + 0.05;
        final double p = 1 / (1 + Math.exp(-z2));
        final double loss = Math.log1p(Math.exp(-z2));
        final double d2 = p - 1;
        final double d10 = d2 * 0.5 * (1 - a0 * a0);
        final double d11 = d2 * -0.6 * (1 - a1 * a1);
        final double[][] gradients = {
            {d10 * 1.0, d10 * 0.5, d11 * 1.0, d11 * 0.5},
            {d10, d11},
            {d2 * a0, d2 * a1},
            {d2}};
    }

    private static OnlineTrainer trainer(String optimizer) {
        ModelConfig.Builder config = ModelConfig.preset("M1").layers(List.of(2, 2, 1)).activation(Activation.TANH)
                .positiveClass(1).optimizer(optimizer).learningRate(LR);
        if (optimizer.equals("adamw")) {
            config.hyperparameter("weight-decay", 0.01);
        }
        OnlineTrainer trainer = new OnlineTrainer(config.build());
        List<FloatTensor> parameters = trainer.network().parameters();
        parameters.get(0).copyFrom(W1);
        parameters.get(1).copyFrom(B1);
        parameters.get(2).copyFrom(W2);
        parameters.get(3).copyFrom(B2);
        return trainer;
    }

    @Test
    @DisplayName("forward and backward match the hand computation")
    void forwardAndBackward() {
        ByHand hand = new ByHand();
        Network network = trainer("sgd").network();
        network.setInput(X, 0);
        network.forward();
        assertEquals(hand.loss, network.lossAndGradient(1), 1e-6);
        network.backward();
        for (int t = 0; t < 4; t++) {
            FloatTensor gradient = FloatTensor.zeros(network.parameters().get(t).shape());
            network.lastGradient(t, gradient);
            for (int i = 0; i < gradient.length(); i++) {
                assertEquals(hand.gradients[t][i], gradient.get(i), 1e-6, "gradient " + t + "[" + i + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"})
    @DisplayName("one step of each optimiser matches its update rule by hand")
    void oneStep(String optimizer) {
        ByHand hand = new ByHand();
        OnlineTrainer trainer = trainer(optimizer);
        float[][] before = {W1, B1, W2, B2};
        trainer.step(X, 1);
        for (int t = 0; t < 4; t++) {
            float[] after = trainer.network().parameters().get(t).toArray();
            for (int i = 0; i < after.length; i++) {
                double p = before[t][i];
                double g = hand.gradients[t][i];
                double expected = switch (optimizer) {
                    // First step: momentum's velocity is -lr g, Nesterov adds (1 + mu) of it.
                    case "sgd", "momentum" -> p - LR * g;
                    case "nesterov" -> p - (1 + 0.9) * LR * g;
                    case "adagrad" -> p - LR * g / (Math.abs(g) + 1e-8);
                    case "rmsprop" -> p - LR * g / (Math.sqrt(0.1 * g * g) + 1e-8);
                    // Bias-corrected first moments equal g and g^2 after one step.
                    case "adam" -> p - LR * g / (Math.abs(g) + 1e-8);
                    case "adamw" -> p - LR * g / (Math.abs(g) + 1e-8) - LR * 0.01 * p;
                    default -> throw new IllegalArgumentException(optimizer);
                };
                assertEquals(expected, after[i], 2e-6, optimizer + " tensor " + t + "[" + i + "]");
            }
        }
    }
}
