package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots written by the release before the typed specification and the element-wise optimisers (fixtures in
 * {@code snapshots-v1/}, one per optimiser, 150 steps on {@link #pixels} each) still load, and training the same
 * configuration on the same samples today gives every parameter and optimiser state tensor bit for bit. The
 * short-memory Adam fixtures (beta1 0.5, beta2 0.6) reach bias corrections of exactly 1 after about 35 steps, so
 * they cover both of Adam's loops.
 */
class SnapshotCompatibilityTest {
    static final int STEPS = 150;

    /** The samples the fixtures were trained on: a third of the pixels zero, the rest a fixed pattern. */
    static byte[] pixels(int sample, int count) {
        byte[] pixels = new byte[count];
        for (int i = 0; i < count; i++) {
            pixels[i] = (i + sample) % 3 == 0 ? 0 : (byte) ((i * 31 + sample * 17) % 256);
        }
        return pixels;
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = SnapshotCompatibilityTest.class.getResourceAsStream("snapshots-v1/" + name + ".slm")) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "adam-unit-major",
        "adam-short-memory", "adamw-short-memory"})
    @DisplayName("a snapshot written before loads, and today's training on the same samples gives every tensor bit "
            + "for bit")
    void oldSnapshotLoadsAndTrainingIsBitwiseUnchanged(String name) throws IOException {
        OnlineTrainer restored = ModelSnapshot.read(fixture(name));
        OnlineTrainer retrained = new OnlineTrainer(restored.config());
        for (int sample = 0; sample < STEPS; sample++) {
            retrained.step(pixels(sample, retrained.config().inputSize()), sample % 10);
        }
        assertEquals(STEPS, restored.updates());
        assertEquals(restored.window().totalCorrect(), retrained.window().totalCorrect());
        assertTrue(Double.isNaN(restored.window().cumulativeLossMean()), "the first layout kept no loss sum");
        BitwiseAssertions.assertSameModel(restored, retrained);
    }

    @Test
    @DisplayName("today's snapshot keeps the cumulative loss: the mean of every step's loss, through a write and a read")
    void cumulativeLossSurvivesASnapshot() {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M2").build());
        double sum = 0;
        for (int sample = 0; sample < STEPS; sample++) {
            sum += trainer.step(pixels(sample, trainer.config().inputSize()), sample % 10).loss();
        }
        assertEquals(sum / STEPS, trainer.window().cumulativeLossMean());
        assertEquals(sum / STEPS, ModelSnapshot.read(ModelSnapshot.write(trainer)).window().cumulativeLossMean());
    }
}
