package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Regression heads learn numbers: a linear model recovered from its stream, and the window's error figures. */
class RegressionTest {
    private static final float[] WEIGHTS = {2f, -3f, 0.5f};
    private static final float BIAS = 1f;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Objective.class, names = {"MSE", "HUBER"})
    @DisplayName("a linear target y = 2 x0 - 3 x1 + 0.5 x2 + 1 is recovered to 1e-3 from its stream")
    void recoversALinearModel(Objective head) {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M2").name("linear").layers(List.of(3, 1))
                .loss(head).weightInit(new Initialiser.Zeros()).learningRate(0.05).build());
        SeededRandom random = new SeededRandom(3);
        float[] x = new float[3];
        for (int step = 0; step < 20_000; step++) {
            float y = BIAS;
            for (int i = 0; i < 3; i++) {
                x[i] = (float) random.uniform(-1, 1);
                y += WEIGHTS[i] * x[i];
            }
            assertTrue(trainer.step(x, new float[] {y}).applied());
        }
        float[] learned = trainer.network().parameters().get(0).toArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(WEIGHTS[i], learned[i], 1e-3, "weight " + i);
        }
        assertEquals(BIAS, trainer.network().parameters().get(1).toArray()[0], 1e-3, "bias");
        assertTrue(trainer.window().meanAbsoluteError() < 0.01, "window MAE " + trainer.window().meanAbsoluteError());
        assertTrue(Double.isNaN(trainer.window().accuracy()), "no accuracy for numbers");
    }

    @Test
    @DisplayName("the output scale multiplies the estimate: a model with scale 2 learns half the weights")
    void outputScale() {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M2").name("scaled").layers(List.of(1, 1))
                .loss(Objective.MSE).weightInit(new Initialiser.Zeros()).outputScale(2).learningRate(0.05).build());
        SeededRandom random = new SeededRandom(4);
        for (int step = 0; step < 5_000; step++) {
            float x = (float) random.uniform(-1, 1);
            trainer.step(new float[] {x}, new float[] {3 * x});
        }
        assertEquals(1.5f, trainer.network().parameters().get(0).toArray()[0], 1e-3);
    }

    @Test
    @DisplayName("non-finite targets or features are refused before the model; a class head refuses numbers")
    void refusals() {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M2").layers(List.of(2, 1)).loss(Objective.MSE)
                .build());
        assertFalse(trainer.step(new float[] {1, 2}, new float[] {Float.NaN}).applied());
        assertFalse(trainer.step(new float[] {Float.POSITIVE_INFINITY, 2}, new float[] {1}).applied());
        assertEquals(0, trainer.updates());
        OnlineTrainer classes = new OnlineTrainer(ModelConfig.preset("M2").layers(List.of(2, 3)).build());
        assertEquals("the softmax-cross-entropy head learns classes, not numbers",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> classes.step(new float[] {1, 2}, new float[] {1})).getMessage());
    }

    private static ModelConfig standardised() {
        return ModelConfig.preset("M2").name("standardised").layers(List.of(2, 1)).loss(Objective.MSE)
                .weightInit(new Initialiser.Zeros()).learningRate(0.02).standardise(true).build();
    }

    /** Features around 1000 and 0.001: unlearnable at one learning rate raw, easy once standardised. */
    private static float[] row(SeededRandom random) {
        return new float[] {(float) (1000 + random.uniform(-5, 5)), (float) (0.001 * random.uniform(-1, 1))};
    }

    private static float target(float[] x) {
        return (x[0] - 1000) / 5 + 1000 * x[1];
    }

    @Test
    @DisplayName("--standardise: running mean and variance per feature make features of wildly different scales "
            + "learnable; the statistics are the inputs', and the export carries them")
    void standardisationLearns() throws Exception {
        OnlineTrainer trainer = new OnlineTrainer(standardised());
        OnlineTrainer raw = new OnlineTrainer(ModelConfig.preset("M2").name("raw").layers(List.of(2, 1))
                .loss(Objective.MSE).weightInit(new Initialiser.Zeros()).learningRate(0.02).build());
        SeededRandom random = new SeededRandom(8);
        for (int step = 0; step < 20_000; step++) {
            float[] x = row(random);
            if (step == 19_000) {
                trainer.window().reset();
            }
            trainer.step(x, new float[] {target(x)});
            raw.step(x, new float[] {target(x)});
        }
        assertTrue(raw.updates() < 100, "raw, the first steps diverge and the rest are refused: " + raw.updates());
        Standardiser statistics = trainer.network().standardiser();
        assertEquals(20_000, statistics.count());
        assertEquals(1000, statistics.means()[0], 0.1);
        assertEquals(10 / Math.sqrt(12), statistics.stds()[0], 0.05);
        assertTrue(trainer.window().meanAbsoluteError() < 0.01, "window MAE " + trainer.window().meanAbsoluteError());
        java.nio.file.Path export = work.resolve("standardised.npz");
        Npz.export(trainer.network(), export);
        java.util.Map<String, float[]> arrays = Npz.read(export, new java.util.LinkedHashMap<>());
        assertEquals((float) statistics.means()[0], arrays.get("mean")[0]);
        assertEquals((float) statistics.stds()[1], arrays.get("std")[1]);
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path work;

    @Test
    @DisplayName("--standardise: a snapshot taken mid-stream restores the statistics, and training on is bitwise "
            + "that of a model never stopped; the snapshot size is known from the configuration")
    void standardisationSurvivesSnapshots() {
        OnlineTrainer uninterrupted = new OnlineTrainer(standardised());
        OnlineTrainer first = new OnlineTrainer(standardised());
        SeededRandom random = new SeededRandom(9);
        float[][] rows = new float[2_000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(random);
            uninterrupted.step(rows[i], new float[] {target(rows[i])});
            if (i < 1_000) {
                first.step(rows[i], new float[] {target(rows[i])});
            }
        }
        byte[] snapshot = ModelSnapshot.write(first);
        assertEquals(ModelSnapshot.bytes(standardised()), snapshot.length);
        OnlineTrainer restored = ModelSnapshot.read(snapshot);
        for (int i = 1_000; i < rows.length; i++) {
            restored.step(rows[i], new float[] {target(rows[i])});
        }
        BitwiseAssertions.assertSameModel(uninterrupted, restored);
        assertTrue(java.util.Arrays.equals(uninterrupted.network().standardiser().means(),
                restored.network().standardiser().means()), "means bitwise");
        assertTrue(java.util.Arrays.equals(uninterrupted.network().standardiser().stds(),
                restored.network().standardiser().stds()), "scales bitwise");
    }
}
