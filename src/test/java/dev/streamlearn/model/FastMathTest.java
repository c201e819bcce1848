package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FastMathTest {
    @Test
    @DisplayName("exp agrees with StrictMath.exp to 1e-11 relative over the range the model uses")
    void exp() {
        for (double x = -700; x <= 700; x += 0.0137) {
            double expected = StrictMath.exp(x);
            assertEquals(expected, FastMath.exp(x), 1e-11 * expected, "x = " + x);
        }
        assertEquals(1.0, FastMath.exp(0), 0);
        assertEquals(Double.POSITIVE_INFINITY, FastMath.exp(710), 0);
        assertEquals(0.0, FastMath.exp(-800), 0);
        assertEquals(Double.NaN, FastMath.exp(Double.NaN), 0);
    }
}
