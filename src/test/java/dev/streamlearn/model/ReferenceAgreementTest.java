package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast path (OpenBLAS on native buffers, Java loops) and the op-by-op ND4J reference, both float32, trained on
 * the same 1,000 samples from the same weights, end within 1e-5 of each other (relative to each tensor's largest
 * magnitude). The op-by-op reference takes seconds per case, so the cases cover every pair of optimiser, hidden
 * activation and head at least once (42 cases) rather than the full grid (210, nine minutes on these machines).
 */
class ReferenceAgreementTest {
    private static final int STEPS = 1_000;

    /**
     * Every (optimiser, head) pair, with the activation (optimiser + head) mod the activation count: as there are at
     * least as many optimisers and heads as activations, each optimiser and each head also meets every activation.
     */
    static Stream<Arguments> combinations() {
        List<String> optimizers = OptimizerSpec.NAMES;
        Activation[] activations = Activation.values();
        Objective[] objectives = Objective.values();
        List<Arguments> cases = new ArrayList<>();
        for (int o = 0; o < optimizers.size(); o++) {
            for (int h = 0; h < objectives.length; h++) {
                cases.add(Arguments.of(optimizers.get(o), activations[(o + h) % activations.length], objectives[h]));
            }
        }
        return cases.stream();
    }

    @Test
    @DisplayName("the cases cover every pair of optimiser, activation and head")
    void casesArePairwiseComplete() {
        Set<List<Object>> pairs = new HashSet<>();
        combinations().map(Arguments::get).forEach(c -> {
            pairs.add(List.of("oa", c[0], c[1]));
            pairs.add(List.of("oh", c[0], c[2]));
            pairs.add(List.of("ah", c[1], c[2]));
        });
        int optimizers = OptimizerSpec.NAMES.size();
        int activations = Activation.values().length;
        int heads = Objective.values().length;
        assertEquals(optimizers * activations + optimizers * heads + activations * heads, pairs.size());
    }

    @ParameterizedTest(name = "{0}, {1} hidden, {2} head")
    @MethodSource("combinations")
    void agreeAfterThousandSteps(String optimizer, Activation activation, Objective objective) {
        int outputs = objective.isBinary() ? 1 : 3;
        assertAgreement(optimizer, activation, objective, List.of(6, 5, 4, outputs), 0.0);
    }

    /** A first layer wide enough to be input-major, fed inputs that are half zeros. */
    @ParameterizedTest(name = "{0}, sparse input")
    @MethodSource("optimizers")
    void agreeWithSparseInputLayer(String optimizer) {
        assertAgreement(optimizer, Activation.TANH, Objective.SOFTMAX_CROSS_ENTROPY, List.of(6, 40, 3), 0.5);
    }

    static Stream<String> optimizers() {
        return OptimizerSpec.NAMES.stream();
    }

    private static void assertAgreement(String optimizer, Activation activation, Objective objective,
                                        List<Integer> layers, double zeroFraction) {
        ModelConfig.Builder builder = ModelConfig.preset("M2").name("agreement").layers(layers)
                .activation(activation).loss(objective).positiveClass(objective.isBinary() ? 1 : -1)
                .weightInit(new Initialiser.Xavier(true)).biasInit(new Initialiser.Uniform(-0.1, 0.1))
                .optimizer(optimizer).learningRate(learningRate(optimizer)).seed(17);
        if (optimizer.equals("adamw")) {
            builder.hyperparameter("weight-decay", 0.01);
        }
        if (objective.isNumeric()) {
            builder.outputScale(1.5).huberDelta(0.4);
        }
        ModelConfig config = builder.build();
        OnlineTrainer fast = new OnlineTrainer(config);
        ReferenceNetwork reference = new ReferenceNetwork(fast.network(), DataType.FLOAT);
        SeededRandom data = new SeededRandom(23);
        for (int step = 0; step < STEPS; step++) {
            float[] x = new float[layers.get(0)];
            for (int i = 0; i < x.length; i++) {
                x[i] = data.uniform(0, 1) < zeroFraction ? 0f : (float) data.uniform(-1, 1);
            }
            int label = step % 3;
            if (objective.isNumeric()) {
                fast.step(x, ReferenceNetwork.numericTargets(label, config.outputSize()));
            } else {
                fast.step(x, label);
            }
            reference.step(x, label);
        }
        List<FloatTensor> parameters = fast.network().parameters();
        for (int t = 0; t < parameters.size(); t++) {
            INDArray expected = reference.inFastLayout(reference.parameters, t);
            double scale = expected.amaxNumber().doubleValue();
            for (int i = 0; i < parameters.get(t).length(); i++) {
                double difference = Math.abs(parameters.get(t).get(i) - expected.getDouble(i));
                assertTrue(difference <= 1e-5 * scale, "tensor " + t + " element " + i + ": fast "
                        + parameters.get(t).get(i) + " reference " + expected.getDouble(i));
            }
        }
    }

    private static double learningRate(String optimizer) {
        return optimizer.startsWith("ada") || optimizer.equals("rmsprop") ? 0.001 : 0.01;
    }
}
