package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigurationTest {

    private static String refusal(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    @DisplayName("out-of-range hyperparameters are refused with their name, value and range")
    void rangeChecks() {
        assertTrue(refusal(() -> ModelConfig.preset("M2").learningRate(0).build()).contains("learning rate is 0.0"));
        assertTrue(refusal(() -> ModelConfig.preset("M2").optimizer("momentum").hyperparameter("momentum", 1.0)
                .build()).contains("momentum is 1.0, expected a number in [0, 1)"));
        assertTrue(refusal(() -> ModelConfig.preset("M2").optimizer("adam").hyperparameter("epsilon", -1).build())
                .contains("epsilon is -1.0"));
        assertTrue(refusal(() -> ModelConfig.preset("M2").optimizer("sgd").hyperparameter("weight-decay", 0.01)
                .build()).contains("--weight-decay is not a hyperparameter of sgd, which takes only --lr"));
        assertTrue(refusal(() -> ModelConfig.preset("M2").optimizer("lbfgs").build()).contains("lbfgs"));
        assertTrue(refusal(() -> ModelConfig.preset("M2").layers(List.of(784)).build()).contains("at least"));
        assertTrue(refusal(() -> ModelConfig.preset("M2").loss(Objective.SIGMOID_CROSS_ENTROPY).build())
                .contains("needs 1 output"));
        assertTrue(refusal(() -> new Initialiser.Uniform(1, 0)).contains("low < high"));
        assertTrue(refusal(() -> new Initialiser.Constant(Double.NaN)).contains("constant init is NaN"));
        assertTrue(refusal(() -> new Initialiser.Normal(0, 1e39, false)).contains("a std > 0 that a float holds"));
        assertTrue(refusal(() -> new Initialiser.Normal(Double.POSITIVE_INFINITY, 1, false))
                .contains("normal init mean is Infinity"));
        assertTrue(refusal(() -> LearningRateSchedule.parse("exponential:2:10")).contains("(0, 1]"));
        assertTrue(refusal(() -> ModelConfig.preset("M9")).contains("M1, M2, M3 or M4"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"})
    @DisplayName("the snapshot size known from the configuration is the size of the snapshot written")
    void snapshotSizeBeforeTheModelExists(String optimizer) {
        ModelConfig config = ModelConfig.preset("M4").layers(List.of(784, 64, 32, 10)).optimizer(optimizer).build();
        assertEquals(ModelSnapshot.write(new OnlineTrainer(config)).length, ModelSnapshot.bytes(config));
    }

    @Test
    @DisplayName("presets have the documented architectures")
    void presets() {
        assertEquals(List.of(784, 1), ModelConfig.preset("M1").build().layers());
        assertEquals(7, ModelConfig.preset("m1").build().positiveClass());
        assertEquals(List.of(784, 128, 10), ModelConfig.preset("M3").build().layers());
        assertEquals(new Initialiser.He(false), ModelConfig.preset("M3").build().weightInit());
        assertEquals(List.of(784, 256, 256, 10), ModelConfig.preset("M4").build().layers());
        assertEquals("M4", ModelConfig.preset("M4").weightInit(new Initialiser.Zeros()).build().name());
    }

    @Test
    @DisplayName("the config survives its JSON form, every field")
    void jsonRoundTrip() {
        ModelConfig config = ModelConfig.preset("M4").optimizer("adamw").hyperparameter("weight-decay", 0.02)
                .hyperparameter("beta2", 0.99).schedule(LearningRateSchedule.parse("step:0.5:1000")).clipNorm(5)
                .clipValue(0.5).l2(1e-4).firstLayerWeightInit(new Initialiser.Uniform(-0.03, 0.03))
                .biasInit(new Initialiser.Constant(0.1)).seed(7).build();
        assertEquals(config, ModelSnapshot.parseConfig(ModelSnapshot.configJson(config)));
        ModelConfig binary = ModelConfig.preset("M1").activation(Activation.LEAKY_RELU).layers(List.of(784, 32, 1))
                .optimizer("rmsprop").hyperparameter("rho", 0.8).build();
        assertEquals(binary, ModelSnapshot.parseConfig(ModelSnapshot.configJson(binary)));
    }

    @Test
    @DisplayName("JSON of the previous release, which wrote every optimiser's hyperparameters, reads as the same config")
    void legacyJson() {
        String legacy = "{\"name\":\"M2\",\"layers\":[784,10],\"activation\":\"identity\","
                + "\"loss\":\"softmax-cross-entropy\",\"positiveClass\":-1,\"weightInit\":\"uniform:-0.01:0.01\","
                + "\"firstLayerWeightInit\":null,\"biasInit\":\"zeros\",\"optimizer\":\"momentum\","
                + "\"learningRate\":0.01,\"momentum\":0.8,\"beta1\":0.9,\"beta2\":0.999,\"epsilon\":1.0E-8,"
                + "\"rho\":0.9,\"weightDecay\":0.0,\"l2\":0.0,\"schedule\":\"constant\",\"clipValue\":0.0,"
                + "\"clipNorm\":0.0,\"seed\":42}";
        assertEquals(ModelConfig.preset("M2").optimizer("momentum").hyperparameter("momentum", 0.8).build(),
                ModelSnapshot.parseConfig(legacy));
    }

    @Test
    @DisplayName("every field prints as text that parses back to it")
    void fieldsRoundTrip() {
        ModelConfig config = ModelConfig.preset("M4").optimizer("adam").hyperparameter("beta1", 0.8)
                .firstLayerWeightInit(new Initialiser.Normal(0, 0.05, true)).build();
        ModelConfig.Builder rebuilt = new ModelConfig.Builder().name(config.name());
        for (ModelField field : ModelField.values()) {
            String text = field.text(config);
            if (text != null) {
                field.apply(rebuilt, text);
            }
        }
        assertEquals(config, rebuilt.build());
    }

    @Test
    @DisplayName("initialisers draw from their documented ranges and scales, reproducibly")
    void initialisers() {
        FloatTensor tensor = FloatTensor.zeros(200, 300);
        Initialiser.parse("uniform:-0.01:0.01").fill(tensor, 300, 200, new SeededRandom(1));
        TensorStatistics uniform = TensorStatistics.of(tensor, 10);
        assertTrue(uniform.min() >= -0.01 && uniform.max() < 0.01);
        Initialiser.parse("xavier-uniform").fill(tensor, 300, 200, new SeededRandom(1));
        double limit = Math.sqrt(6.0 / 500);
        TensorStatistics xavier = TensorStatistics.of(tensor, 10);
        assertTrue(xavier.max() <= limit && xavier.min() >= -limit && xavier.max() > 0.95 * limit);
        Initialiser.parse("he-normal").fill(tensor, 300, 200, new SeededRandom(1));
        double squares = 0;
        for (float v : tensor.toArray()) {
            squares += v * v;
        }
        assertEquals(Math.sqrt(2.0 / 300), Math.sqrt(squares / tensor.length()), 0.001);
        Initialiser.parse("truncated-normal:0:1").fill(tensor, 300, 200, new SeededRandom(1));
        TensorStatistics truncated = TensorStatistics.of(tensor, 10);
        assertTrue(truncated.max() <= 2 && truncated.min() >= -2);
        float[] first = tensor.toArray();
        Initialiser.parse("truncated-normal:0:1").fill(tensor, 300, 200, new SeededRandom(1));
        assertEquals(java.util.Arrays.hashCode(first), java.util.Arrays.hashCode(tensor.toArray()));
        Initialiser.parse("constant:0.5").fill(tensor, 300, 200, new SeededRandom(1));
        assertEquals(0.5, TensorStatistics.of(tensor, 10).mean(), 1e-7);
    }

    @Test
    @DisplayName("learning-rate schedules follow their formulas")
    void schedules() {
        assertEquals(0.1, LearningRateSchedule.parse("constant").rate(0.1, 5000), 0);
        assertEquals(0.1 * Math.pow(0.5, 2.5), LearningRateSchedule.parse("exponential:0.5:100").rate(0.1, 250),
                1e-12);
        assertEquals(0.1 * 0.25, LearningRateSchedule.parse("step:0.5:100").rate(0.1, 250), 1e-12);
        assertEquals(0.1 / 3, LearningRateSchedule.parse("inverse-time:0.01").rate(0.1, 200), 1e-12);
    }

    @Test
    @DisplayName("statistics match hand-computed values")
    void statistics() {
        TensorStatistics s = TensorStatistics.of(FloatTensor.of(new float[] {0, 1, 2, 3}, 4), 3);
        assertEquals(1.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(1.25), s.std(), 1e-12);
        assertEquals(Math.sqrt(14), s.l2Norm(), 1e-6);
        assertEquals(0.25, s.zeroFraction(), 1e-12);
        assertEquals(0, s.nonFiniteCount());
        assertEquals(List.of(1L, 1L, 2L), java.util.Arrays.stream(s.counts()).boxed().toList());
        TensorStatistics withNaN = TensorStatistics.of(FloatTensor.of(new float[] {0, 1, 2, 3, Float.NaN}, 5), 3);
        assertEquals(1, withNaN.nonFiniteCount());
        assertEquals(1.5, withNaN.mean(), 1e-12);
    }

    /**
     * Large tensors are sampled with a stride: 3 across rows of 40 (input-major first layer); 189 across rows of 64,
     * skipping whole rows; 13 across rows of 4 (a [3000, 4] hidden layer).
     */
    @ParameterizedTest
    @ValueSource(strings = {"60-40-3", "3000-64-2", "4-4-3000"})
    @DisplayName("a factored gradient's statistics equal those of its materialised matrix")
    void gradientStatistics(String widths) {
        List<Integer> layers = java.util.Arrays.stream(widths.split("-")).map(Integer::valueOf).toList();
        Network network = new Network(ModelConfig.preset("M4").layers(layers).build());
        float[] x = new float[layers.get(0)];
        for (int i = 0; i < x.length; i += 3) {
            x[i] = (float) i / x.length;
        }
        network.setInput(x, 0);
        network.forward();
        network.lossAndGradient(1);
        network.backward();
        for (int t = 0; t < network.parameters().size(); t++) {
            FloatTensor materialised = FloatTensor.zeros(network.parameters().get(t).shape());
            network.lastGradient(t, materialised);
            TensorStatistics expected = TensorStatistics.of(materialised, 10);
            TensorStatistics actual = network.lastGradientStatistics(t, 10);
            assertEquals(expected.mean(), actual.mean(), 1e-9);
            assertEquals(expected.l2Norm(), actual.l2Norm(), 1e-6 * expected.l2Norm());
            assertEquals(expected.max(), actual.max(), 1e-9);
            assertEquals(java.util.Arrays.toString(expected.counts()), java.util.Arrays.toString(actual.counts()));
        }
    }

    @Test
    @DisplayName("clipping by global norm bounds the applied update")
    void clipByNorm() {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M2").layers(List.of(2, 2)).learningRate(1)
                .clipNorm(0.1).weightInit(new Initialiser.Zeros()).build());
        trainer.step(new float[] {30f, 40f}, 0);
        double squares = 0;
        for (FloatTensor parameter : trainer.network().parameters()) {
            for (float v : parameter.toArray()) {
                squares += v * v;
            }
        }
        assertEquals(0.1, Math.sqrt(squares), 1e-6);
    }
}
