package dev.streamlearn.model;

/**
 * The gradient of one parameter tensor for one sample.
 *
 * <p>At batch size 1 a dense layer's weight gradient is the outer product of its input and its delta, so it is kept
 * in that factored form: plain SGD adds it to the weights with one BLAS rank-1 update and never writes the full
 * matrix. Optimisers that need element-wise access {@link #copyTo copy} it out.
 */
public interface Gradient {

    /** target += alpha * g. */
    void addTo(FloatTensor target, float alpha);

    /** target = g. */
    void copyTo(FloatTensor target);

    /** Sum of squared elements, for global-norm clipping and monitoring. */
    double sumOfSquares();

    /** Whether every element is finite. */
    boolean isFinite();

    /** The elements of g a sample plan reads, in the layout of its parameter tensor. */
    float[] sample(SamplePlan plan);

    /** The weight gradient delta input^T of a dense layer, shaped like its weights [fanOut, fanIn]. */
    final class OuterProduct implements Gradient {
        private final FloatTensor delta;
        private final int fanOut;
        private final FloatTensor input;
        private final int fanIn;

        OuterProduct(FloatTensor delta, int fanOut, FloatTensor input, int fanIn) {
            this.delta = delta;
            this.fanOut = fanOut;
            this.input = input;
            this.fanIn = fanIn;
        }

        @Override
        public void addTo(FloatTensor target, float alpha) {
            Blas.rankOneUpdate(alpha, delta, fanOut, input, fanIn, target);
        }

        @Override
        public void copyTo(FloatTensor target) {
            Blas.matMul(delta, input, fanOut, 1, fanIn, 0f, target);
        }

        @Override
        public double sumOfSquares() {
            return Vectors.sumOfSquares(delta, fanOut) * Vectors.sumOfSquares(input, fanIn);
        }

        /** The input was finite when the loss was (the forward pass carries any NaN into it): check delta only. */
        @Override
        public boolean isFinite() {
            return Vectors.isFinite(delta, fanOut);
        }

        @Override
        public float[] sample(SamplePlan plan) {
            float[] d = delta.toArray();
            float[] x = input.toArray();
            float[] sample = new float[plan.size()];
            for (int i = 0; i < sample.length; i++) {
                int index = plan.index(i);
                sample[i] = d[index / fanIn] * x[index % fanIn];
            }
            return sample;
        }
    }

    /**
     * The weight gradient input delta^T of an input-major first layer, shaped [fanIn, fanOut]: applied to the rows of
     * the input's non-zero runs only (the other rows of the gradient are exactly zero).
     */
    final class SparseOuterProduct implements Gradient {
        private final FloatTensor input;
        private final InputRuns runs;
        private final int fanIn;
        private final FloatTensor delta;
        private final int fanOut;

        SparseOuterProduct(FloatTensor input, InputRuns runs, int fanIn, FloatTensor delta, int fanOut) {
            this.input = input;
            this.runs = runs;
            this.fanIn = fanIn;
            this.delta = delta;
            this.fanOut = fanOut;
        }

        @Override
        public void addTo(FloatTensor target, float alpha) {
            for (int run = 0; run < runs.count(); run++) {
                Blas.rankOneUpdateRows(alpha, input, runs.start(run), runs.end(run), delta, fanOut, target);
            }
        }

        @Override
        public void copyTo(FloatTensor target) {
            Blas.matMul(input, delta, fanIn, 1, fanOut, 0f, target);
        }

        @Override
        public double sumOfSquares() {
            return Vectors.sumOfSquares(input, fanIn) * Vectors.sumOfSquares(delta, fanOut);
        }

        @Override
        public boolean isFinite() {
            return Vectors.isFinite(delta, fanOut);
        }

        @Override
        public float[] sample(SamplePlan plan) {
            float[] x = input.toArray();
            float[] d = delta.toArray();
            float[] sample = new float[plan.size()];
            for (int i = 0; i < sample.length; i++) {
                int index = plan.index(i);
                sample[i] = x[index / fanOut] * d[index % fanOut];
            }
            return sample;
        }
    }

    /** A gradient stored element by element: a bias gradient, or a materialised (clipped, decayed) one. */
    final class Dense implements Gradient {
        private final FloatTensor values;
        private final int length;

        Dense(FloatTensor values, int length) {
            this.values = values;
            this.length = length;
        }

        @Override
        public void addTo(FloatTensor target, float alpha) {
            Blas.axpy(alpha, values, target);
        }

        @Override
        public void copyTo(FloatTensor target) {
            Blas.copy(values, target);
        }

        @Override
        public double sumOfSquares() {
            return Vectors.sumOfSquares(values, length);
        }

        @Override
        public boolean isFinite() {
            return Vectors.isFinite(values, length);
        }

        @Override
        public float[] sample(SamplePlan plan) {
            return values.sample(plan);
        }
    }
}
