package dev.streamlearn.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The learner's Page-Hinkley test on hand-built error streams. The detection points were computed by a separate
 * re-implementation of the test (Python, River's algorithm with these parameters), not read off this one.
 */
class PageHinkleyTest {
    private static final PageHinkley TEST = PageHinkley.DEFAULT;

    /** The indices of the values that signalled a change, the test starting afresh after each. */
    private static List<Integer> signals(int count, IntToDoubleFunction value) {
        List<Integer> signals = new ArrayList<>();
        PageHinkley.Running test = TEST.start();
        for (int t = 0; t < count; t++) {
            if (test.observe(value.applyAsDouble(t))) {
                signals.add(t);
                test.reset();
            }
        }
        return signals;
    }

    @Test
    @DisplayName("a step from 0 to 1 at value 500 is signalled at value 608, with before the level marked at value 512 "
            + "(the mark 64 to 128 values before the signal: 12 ones in) and after the moving average of the 109 ones")
    void stepChange() {
        assertEquals(List.of(608), signals(1_000, t -> t < 500 ? 0 : 1));
        PageHinkley.Running test = TEST.start();
        for (int t = 0; t <= 608; t++) {
            test.observe(t < 500 ? 0 : 1);
        }
        PageHinkley.Change change = test.change();
        assertEquals(1 - Math.pow(255.0 / 256, 12), change.before(), 1e-12);
        assertEquals(1 - Math.pow(31.0 / 32, 109), change.after(), 1e-12);
    }

    @Test
    @DisplayName("a model that erred 50% while learning, then 5%, then 80% from value 12,000: the error before is the 5% "
            + "it had reached, not the 12.5% mean since the start")
    void beforeForgetsTheLearning() {
        IntToDoubleFunction error = t -> t * 7919 % 100 < (t < 2_000 ? 50 : t < 12_000 ? 5 : 80) ? 1 : 0;
        PageHinkley.Running test = TEST.start();
        int t = 0;
        while (!test.observe(error.applyAsDouble(t))) {
            t++;
        }
        assertTrue(t > 12_000 && t <= 12_200, "signalled at " + t);
        assertEquals(0.05, test.change().before(), 0.01);
        assertTrue(test.change().after() > 0.3, "after " + test.change().after());
    }

    @Test
    @DisplayName("an error rate jumping from 10% to 70% at value 3,000 is signalled at 3,208")
    void jump() {
        assertEquals(List.of(3_208), signals(6_000, t -> t < 3_000 ? (t * 7919 % 10 == 0 ? 1 : 0)
                : ((t - 3_000) * 7919 % 10 < 7 ? 1 : 0)));
    }

    @Test
    @DisplayName("a fast ramp (0.1 to 1 over 2,000 values) is signalled at 2,017; a slow one (0.1 to 0.6 over 5,000) "
            + "never: the mean since the last change follows it")
    void ramps() {
        assertEquals(List.of(2_017), signals(4_000, t -> Math.min(1.0, 0.1 + 0.9 * t / 2000.0)));
        assertEquals(List.of(), signals(5_000, t -> 0.1 + 0.5 * t / 5000.0));
    }

    @Test
    @DisplayName("pure noise (errors at random, 10% and 30%, 200,000 values each) signals nothing")
    void noise() {
        for (double rate : new double[] {0.1, 0.3}) {
            SeededRandom random = new SeededRandom(17);
            assertEquals(List.of(), signals(200_000, t -> random.uniform(0, 1) < rate ? 1 : 0), "rate " + rate);
        }
    }
}
