package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OnlineTrainerTest {

    /** Softmax regression 2 -> 2 with hand-set weights W = [[0.1, 0.2], [0.3, -0.1]] (rows are output units). */
    static OnlineTrainer tinySoftmax(double learningRate) {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M2").layers(List.of(2, 2))
                .weightInit(new Initialiser.Zeros()).learningRate(learningRate).build());
        trainer.network().parameters().get(0).copyFrom(new float[] {0.1f, 0.2f, 0.3f, -0.1f});
        return trainer;
    }

    @Test
    @DisplayName("one SGD step on a 2-2 softmax matches the hand computation")
    void softmaxStepByHand() {
        OnlineTrainer trainer = tinySoftmax(0.1);
        // z = W x = [0.5, 0.1]; p = softmax(z) = [0.598688, 0.401312]; loss = -ln p0; delta = p - [1, 0].
        StepOutcome outcome = trainer.step(new float[] {1f, 2f}, 0);
        assertEquals(0.513015, outcome.loss(), 1e-6);
        assertEquals(0, outcome.predicted());
        assertTrue(outcome.applied());
        List<FloatTensor> parameters = trainer.network().parameters();
        // W -= lr delta x^T; b -= lr delta.
        assertArrayEquals(new float[] {0.1401312f, 0.2802624f, 0.2598688f, -0.1802624f},
                parameters.get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.0401312f, -0.0401312f}, parameters.get(1).toArray(), 1e-6f);
        assertEquals(1, trainer.updates());
    }

    @Test
    @DisplayName("a NaN input is refused and leaves every parameter bitwise untouched")
    void refusesNaNInput() {
        OnlineTrainer trainer = tinySoftmax(0.1);
        List<float[]> before = BitwiseAssertions.parameters(trainer);
        StepOutcome outcome = trainer.step(new float[] {Float.NaN, 1f}, 1);
        assertFalse(outcome.applied());
        BitwiseAssertions.assertSameTensors(before, BitwiseAssertions.parameters(trainer), "parameter");
        assertEquals(0, trainer.updates());
    }

    @Test
    @DisplayName("a step whose loss overflows is refused and leaves every parameter bitwise untouched")
    void refusesInfiniteLoss() {
        OnlineTrainer trainer = tinySoftmax(0.1);
        trainer.network().parameters().get(0).copyFrom(new float[] {Float.MAX_VALUE, 0f, -Float.MAX_VALUE, 0f});
        List<float[]> before = BitwiseAssertions.parameters(trainer);
        StepOutcome outcome = trainer.step(new float[] {3f, 0f}, 1);
        assertFalse(outcome.applied());
        BitwiseAssertions.assertSameTensors(before, BitwiseAssertions.parameters(trainer), "parameter");
    }

    @Test
    @DisplayName("a label outside the classes is refused with the range in the message")
    void refusesBadLabel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tinySoftmax(0.1).step(new float[] {1f, 1f}, 5));
        assertTrue(e.getMessage().contains("0..1"), e.getMessage());
    }

    @Test
    @DisplayName("same seed and same samples give bitwise the same weights; another seed does not")
    void deterministic() {
        ModelConfig config = ModelConfig.preset("M4").layers(List.of(20, 16, 8, 3)).build();
        float[] first = train(config);
        assertArrayEquals(first, train(config));
        assertFalse(java.util.Arrays.equals(first, train(ModelConfig.preset("M4").layers(List.of(20, 16, 8, 3))
                .seed(7).build())));
    }

    private static float[] train(ModelConfig config) {
        OnlineTrainer trainer = new OnlineTrainer(config);
        SeededRandom data = new SeededRandom(3);
        for (int i = 0; i < 500; i++) {
            float[] x = new float[20];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) data.uniform(0, 1);
            }
            trainer.step(x, i % 3);
        }
        return trainer.network().parameters().get(2).toArray();
    }

    @Test
    @DisplayName("a snapshot restores parameters, optimiser state and counters bitwise")
    void snapshotRoundTrip() {
        ModelConfig config = ModelConfig.preset("M3").layers(List.of(6, 5, 3)).optimizer("adam").learningRate(0.01)
                .build();
        OnlineTrainer trainer = new OnlineTrainer(config);
        for (int i = 0; i < 50; i++) {
            trainer.step(new float[] {i % 2, 1, 0.5f, i % 3, 0, 1}, i % 3);
        }
        OnlineTrainer restored = ModelSnapshot.read(ModelSnapshot.write(trainer));
        assertEquals(trainer.updates(), restored.updates());
        assertEquals(trainer.window().totalCorrect(), restored.window().totalCorrect());
        for (int i = 0; i < 20; i++) {
            float[] x = {1, i % 2, 0.25f, 0, i % 5, 1};
            trainer.step(x, i % 3);
            restored.step(x, i % 3);
        }
        for (int t = 0; t < trainer.network().parameters().size(); t++) {
            assertArrayEquals(trainer.network().parameters().get(t).toArray(),
                    restored.network().parameters().get(t).toArray());
        }
    }
}
