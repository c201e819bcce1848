package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference checks, for every hidden activation and every head: the float64 reference's back-propagation
 * agrees with central differences of its own loss, and the float32 fast path agrees with the reference.
 */
class GradientCheckTest {

    static Stream<Arguments> activationsAndHeads() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation activation : Activation.values()) {
            for (Objective objective : Objective.values()) {
                cases.add(Arguments.of(activation, objective));
            }
        }
        return cases.stream();
    }

    /**
     * A 5-4-3-K network (K = 1 for binary heads, 3 otherwise) with small random weights and biases; numeric heads
     * estimate 1.5 z, and Huber turns linear at 0.4 so both of its pieces are checked.
     */
    static Network network(Activation activation, Objective objective) {
        int outputs = objective.isBinary() ? 1 : 3;
        ModelConfig.Builder builder = ModelConfig.preset("M2").name("check").layers(List.of(5, 4, 3, outputs))
                .activation(activation).loss(objective).positiveClass(objective.isBinary() ? 2 : -1)
                .weightInit(new Initialiser.Normal(0, 0.7, false)).biasInit(new Initialiser.Uniform(-0.3, 0.3))
                .seed(5);
        if (objective.isNumeric()) {
            builder.outputScale(1.5).huberDelta(0.4);
        }
        return new Network(builder.build());
    }

    static final float[] INPUT = {0.9f, -0.4f, 0.25f, 0.6f, -0.8f};
    static final int LABEL = 2;

    @ParameterizedTest(name = "{0} hidden, {1} head")
    @MethodSource("activationsAndHeads")
    void referenceBackPropagationMatchesFiniteDifferences(Activation activation, Objective objective) {
        ReferenceNetwork reference = new ReferenceNetwork(network(activation, objective), DataType.DOUBLE);
        List<INDArray> analytic = reference.gradients(INPUT, LABEL);
        double epsilon = 1e-6;
        for (int t = 0; t < reference.parameters.size(); t++) {
            INDArray parameter = reference.parameters.get(t);
            for (int i = 0; i < parameter.length(); i++) {
                double original = parameter.getDouble(i);
                parameter.putScalar(i, original + epsilon);
                double plus = reference.loss(INPUT, LABEL);
                parameter.putScalar(i, original - epsilon);
                double minus = reference.loss(INPUT, LABEL);
                parameter.putScalar(i, original);
                double numeric = (plus - minus) / (2 * epsilon);
                double exact = analytic.get(t).getDouble(i);
                assertEquals(numeric, exact, 1e-7 + 1e-5 * Math.abs(numeric),
                        "tensor " + t + " element " + i + " of " + activation + "/" + objective);
            }
        }
    }

    @ParameterizedTest(name = "{0} hidden, {1} head")
    @MethodSource("activationsAndHeads")
    void fastPathMatchesReference(Activation activation, Objective objective) {
        assertFastMatchesReference(network(activation, objective), INPUT);
    }

    /** A 12-40-3 network: its first layer is input-major and works on the runs of a sparse input. */
    @ParameterizedTest(name = "{0} hidden, sparse input")
    @EnumSource(Activation.class)
    void sparseInputLayerMatchesReference(Activation activation) {
        Network fast = new Network(ModelConfig.preset("M2").name("sparse").layers(List.of(12, 40, 3))
                .activation(activation).weightInit(new Initialiser.Normal(0, 0.3, false))
                .biasInit(new Initialiser.Uniform(-0.3, 0.3)).seed(9)
                .build());
        assertTrue(fast.weightsInputMajor(0));
        float[] sparse = {0f, 0.7f, 0.2f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0.9f};
        assertFastMatchesReference(fast, sparse);
    }

    private static void assertFastMatchesReference(Network fast, float[] input) {
        ReferenceNetwork reference = new ReferenceNetwork(fast, DataType.DOUBLE);
        fast.setInput(input, 0);
        fast.forward();
        float loss;
        if (fast.config().loss().isNumeric()) {
            fast.setTargets(ReferenceNetwork.numericTargets(LABEL, fast.config().outputSize()));
            loss = fast.lossAndGradient(-1);
        } else {
            loss = fast.lossAndGradient(fast.target(LABEL));
        }
        fast.backward();
        assertEquals(reference.loss(input, LABEL), loss, 1e-5 * Math.max(1, Math.abs(loss)));
        List<INDArray> expected = reference.gradients(input, LABEL);
        for (int t = 0; t < expected.size(); t++) {
            FloatTensor gradient = FloatTensor.zeros(fast.parameters().get(t).shape());
            fast.lastGradient(t, gradient);
            INDArray wanted = reference.inFastLayout(expected, t);
            double scale = Math.max(1e-3, wanted.amaxNumber().doubleValue());
            for (int i = 0; i < gradient.length(); i++) {
                double difference = Math.abs(gradient.get(i) - wanted.getDouble(i));
                assertTrue(difference <= 1e-5 * scale, "tensor " + t + " element " + i + ": fast "
                        + gradient.get(i) + " reference " + wanted.getDouble(i));
            }
        }
    }
}
