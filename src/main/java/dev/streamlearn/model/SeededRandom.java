package dev.streamlearn.model;

import java.util.SplittableRandom;

/**
 * A seeded source of uniform and Gaussian floats whose sequence is fixed by the seed alone, on every JVM: Gaussians
 * come from Box-Muller written out here rather than from a JDK method whose algorithm may change between releases.
 */
public final class SeededRandom {
    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    public SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform in [low, high). */
    public double uniform(double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /** Standard normal. */
    public double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1;
        do {
            u1 = random.nextDouble();
        } while (u1 == 0.0);
        double u2 = random.nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = radius * Math.sin(2.0 * Math.PI * u2);
        hasSpare = true;
        return radius * Math.cos(2.0 * Math.PI * u2);
    }

    /** A permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
