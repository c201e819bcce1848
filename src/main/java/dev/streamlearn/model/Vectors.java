package dev.streamlearn.model;

/** Reductions over the first n elements of a tensor, accumulated in double. */
final class Vectors {
    private Vectors() {
    }

    static double sumOfSquares(FloatTensor x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x.get(i);
            sum += v * v;
        }
        return sum;
    }

    static boolean isFinite(FloatTensor x, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x.get(i))) {
                return false;
            }
        }
        return true;
    }
}
