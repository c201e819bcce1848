package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** Assertions that two models hold the same bits: every parameter tensor and every optimiser state tensor. */
public final class BitwiseAssertions {
    private BitwiseAssertions() {
    }

    /** Copies of every parameter tensor, in model order. */
    public static List<float[]> parameters(OnlineTrainer trainer) {
        return FloatTensor.toArrays(trainer.network().parameters());
    }

    /** Every tensor of both lists equal bit for bit, named by its index when one differs. */
    public static void assertSameTensors(List<float[]> expected, List<float[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + " tensor count");
        for (int t = 0; t < expected.size(); t++) {
            assertArrayEquals(expected.get(t), actual.get(t), what + " tensor " + t + " differs bitwise");
        }
    }

    /** The same update count, parameters and optimiser state. */
    public static void assertSameModel(OnlineTrainer expected, OnlineTrainer actual) {
        assertEquals(expected.updates(), actual.updates(), "updates");
        assertSameTensors(parameters(expected), parameters(actual), "parameter");
        assertSameTensors(expected.optimiser().saveState(), actual.optimiser().saveState(), "optimiser state");
    }
}
