package dev.streamlearn.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A numeric head's error on the drift detector's scale, against hand-computed spreads. */
class ScaledErrorTest {

    @Test
    @DisplayName("no spread before two targets: 0; then |error| over the population standard deviation of the targets "
            + "before the step, capped at 1")
    void errorOverTheSpreadSoFar() {
        ScaledError scaled = new ScaledError(1);
        assertEquals(0, scaled.observe(new double[] {5}, new double[] {1}));
        assertEquals(0, scaled.observe(new double[] {5}, new double[] {3}));
        // Targets 1 and 3: mean 2, standard deviation 1.
        assertEquals(0.5, scaled.observe(new double[] {2.5}, new double[] {2}), 1e-12);
        // Targets 1, 3, 2: mean 2, standard deviation sqrt(2/3).
        assertEquals(0.3 / Math.sqrt(2.0 / 3), scaled.observe(new double[] {2.3}, new double[] {2}), 1e-12);
        assertEquals(1, scaled.observe(new double[] {-40}, new double[] {2}));
    }

    @Test
    @DisplayName("several outputs: each on its own targets' spread, averaged")
    void outputsAveraged() {
        ScaledError scaled = new ScaledError(2);
        scaled.observe(new double[] {0, 0}, new double[] {0, 0});
        scaled.observe(new double[] {0, 0}, new double[] {2, 200});
        // Output 0: spread 1, error 0.25; output 1: spread 100, error 50 -> 0.5.
        assertEquals((0.25 + 0.5) / 2, scaled.observe(new double[] {1.25, 150}, new double[] {1, 100}), 1e-12);
    }

    @Test
    @DisplayName("targets all alike so far: any error is 1, none is 0")
    void noSpread() {
        ScaledError scaled = new ScaledError(1);
        scaled.observe(new double[] {0}, new double[] {7});
        scaled.observe(new double[] {0}, new double[] {7});
        assertEquals(1, scaled.observe(new double[] {7.001}, new double[] {7}));
        assertEquals(0, scaled.observe(new double[] {7}, new double[] {7}));
    }

    @Test
    @DisplayName("the spread is that of the targets (Welford agrees with the two-pass formula on 10,000 of them) and a "
            + "restored state goes on exactly as the original")
    void stateRoundTrips() {
        SplittableRandom random = new SplittableRandom(9);
        ScaledError original = new ScaledError(1);
        double[] values = new double[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e6 + random.nextDouble() * 3;
            original.observe(new double[] {0}, new double[] {values[i]});
        }
        double mean = java.util.Arrays.stream(values).average().orElseThrow();
        double squares = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        ScaledError.State state = original.state();
        assertEquals(values.length, state.count());
        assertEquals(mean, state.mean()[0], 1e-6);
        assertEquals(squares, state.squaredDeviations()[0], squares * 1e-9);
        ScaledError restored = new ScaledError(1);
        restored.restore(state);
        for (int i = 0; i < 100; i++) {
            double[] estimate = {1e6 + random.nextDouble() * 4};
            double[] target = {1e6 + random.nextDouble() * 3};
            assertEquals(original.observe(estimate, target), restored.observe(estimate, target));
        }
        assertArrayEquals(original.state().squaredDeviations(), restored.state().squaredDeviations());
    }

    @Test
    @DisplayName("an empty saved state (a checkpoint from before spreads were kept) starts afresh; one for another "
            + "number of outputs is refused, naming both")
    void restoreChecks() {
        ScaledError scaled = new ScaledError(2);
        scaled.restore(new ScaledError.State(0, new double[0], new double[0]));
        assertEquals(0, scaled.state().count());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> scaled.restore(new ScaledError.State(3, new double[1], new double[1])));
        assertTrue(wrong.getMessage().contains("has 1 outputs, this head has 2"), wrong.getMessage());
    }
}
