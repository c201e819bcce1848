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

    /** Writes the elements of g a sample plan reads, in the layout of its parameter tensor, to the start of into. */
    void sample(SamplePlan plan, float[] into);

    /**
     * Makes this step's gradient readable row by row from the heap ({@link #rowScale}, {@link #rowValues}): called
     * once per step, after back-propagation, by optimisers that work element by element.
     */
    void loadRows();

    /** Rows of the parameter tensor's layout (1 for a vector). */
    int rows();

    /** Row r of g is rowScale(r) * rowValues(r): the factor of the outer product that is constant along the row. */
    float rowScale(int row);

    /** The heap values that {@link #rowScale} multiplies to give row r of g (valid until the next call). */
    float[] rowValues(int row);

    /**
     * The elements a sample plan reads of the row-major matrix rows columns^T (width columns). The row and column
     * advance by fixed steps instead of a division per element, which took most of a summary's time.
     */
    private static void sampleOuterProduct(float[] rows, float[] columns, int width, SamplePlan plan, float[] into) {
        int rowStep = plan.stride() / width;
        int columnStep = plan.stride() % width;
        int row = 0;
        int column = 0;
        for (int i = 0; i < plan.size(); i++) {
            into[i] = rows[row] * columns[column];
            row += rowStep;
            column += columnStep;
            if (column >= width) {
                column -= width;
                row++;
            }
        }
    }

    /** The weight gradient delta input^T of a dense layer, shaped like its weights [fanOut, fanIn]. */
    final class OuterProduct implements Gradient {
        private final FloatTensor delta;
        private final int fanOut;
        private final FloatTensor input;
        private final int fanIn;
        private final float[] deltaValues;
        private final float[] inputValues;

        OuterProduct(FloatTensor delta, int fanOut, FloatTensor input, int fanIn) {
            this.delta = delta;
            this.fanOut = fanOut;
            this.input = input;
            this.fanIn = fanIn;
            this.deltaValues = new float[fanOut];
            this.inputValues = new float[fanIn];
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
        public void sample(SamplePlan plan, float[] into) {
            loadRows();
            sampleOuterProduct(deltaValues, inputValues, fanIn, plan, into);
        }

        @Override
        public void loadRows() {
            delta.copyTo(deltaValues);
            input.copyTo(inputValues);
        }

        @Override
        public int rows() {
            return fanOut;
        }

        @Override
        public float rowScale(int row) {
            return deltaValues[row];
        }

        @Override
        public float[] rowValues(int row) {
            return inputValues;
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
        private final float[] inputValues;
        private final float[] deltaValues;

        SparseOuterProduct(FloatTensor input, InputRuns runs, int fanIn, FloatTensor delta, int fanOut) {
            this.input = input;
            this.runs = runs;
            this.fanIn = fanIn;
            this.delta = delta;
            this.fanOut = fanOut;
            this.inputValues = new float[fanIn];
            this.deltaValues = new float[fanOut];
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
        public void sample(SamplePlan plan, float[] into) {
            loadRows();
            sampleOuterProduct(inputValues, deltaValues, fanOut, plan, into);
        }

        @Override
        public void loadRows() {
            input.copyTo(inputValues);
            delta.copyTo(deltaValues);
        }

        @Override
        public int rows() {
            return fanIn;
        }

        @Override
        public float rowScale(int row) {
            return inputValues[row];
        }

        @Override
        public float[] rowValues(int row) {
            return deltaValues;
        }
    }

    /** A gradient stored element by element: a bias gradient, or a materialised (clipped, decayed) one. */
    final class Dense implements Gradient {
        private final FloatTensor values;
        private final int length;
        private final int rows;
        private final float[] row;

        /** A gradient of the given shape whose values are the first elements of values. */
        Dense(FloatTensor values, int... shape) {
            this.values = values;
            this.rows = shape.length == 1 ? 1 : shape[0];
            this.length = shape.length == 1 ? shape[0] : shape[0] * shape[1];
            this.row = new float[length / rows];
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
        public void sample(SamplePlan plan, float[] into) {
            values.sample(plan, into);
        }

        @Override
        public void loadRows() {
            // Rows are read from the native buffer as they are asked for.
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public float rowScale(int row) {
            return 1f;
        }

        @Override
        public float[] rowValues(int index) {
            values.read(index * row.length, row, row.length);
            return row;
        }
    }
}
