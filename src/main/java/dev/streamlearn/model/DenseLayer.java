package dev.streamlearn.model;

/**
 * A fully connected layer a = f(W x + b), plus the per-sample buffers its forward and backward passes write
 * (pre-activation, activation, delta = dL/dz). The output layer has no activation of its own: its pre-activation
 * goes to the {@link Objective}.
 *
 * <p>Two storage layouts, each chosen for where the layer's work is:
 * <ul>
 *   <li>unit-major [fanOut, fanIn] (hidden and output layers): each unit's weights are contiguous, so the rank-1
 *       update is fanOut long AXPYs rather than fanIn short ones;</li>
 *   <li>input-major [fanIn, fanOut] (a first layer at least {@link #SPARSE_INPUT_MIN_WIDTH} wide, fed by the sample
 *       itself): each input's weights are contiguous, so the forward pass and the update touch only the rows of the
 *       input's non-zero {@link InputRuns}.</li>
 * </ul>
 */
final class DenseLayer {
    /** Narrower first layers stay unit-major: for them a few long BLAS calls beat one short call per input run. */
    static final int SPARSE_INPUT_MIN_WIDTH = 32;

    final int fanIn;
    final int fanOut;
    /** Null on the output layer. */
    final Activation activation;
    /** Non-null for an input-major first layer: the runs of its input that are non-zero. */
    final InputRuns inputRuns;
    final FloatTensor weights;
    final FloatTensor bias;
    final FloatTensor preActivation;
    final FloatTensor output;
    final FloatTensor delta;

    DenseLayer(int fanIn, int fanOut, Activation activation, InputRuns inputRuns) {
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.activation = activation;
        this.inputRuns = inputRuns;
        this.weights = inputMajor() ? FloatTensor.zeros(fanIn, fanOut) : FloatTensor.zeros(fanOut, fanIn);
        this.bias = FloatTensor.zeros(fanOut);
        this.preActivation = FloatTensor.zeros(fanOut);
        this.output = activation == null ? preActivation : FloatTensor.zeros(fanOut);
        this.delta = FloatTensor.zeros(fanOut);
    }

    /** Whether weights are stored [fanIn, fanOut] (otherwise [fanOut, fanIn]). */
    boolean inputMajor() {
        return inputRuns != null;
    }

    /** z = W input + b, then a = f(z). */
    void forward(FloatTensor input) {
        Blas.copy(bias, preActivation);
        if (inputMajor()) {
            for (int run = 0; run < inputRuns.count(); run++) {
                Blas.accumulateRows(weights, fanOut, inputRuns.start(run), inputRuns.end(run), input,
                        preActivation);
            }
        } else {
            Blas.matVec(weights, fanOut, fanIn, input, 1f, preActivation);
        }
        if (activation != null) {
            activation.apply(preActivation, output, fanOut);
        }
    }

    /** Writes W^T delta into the previous layer's delta and multiplies by that layer's f'(z). */
    void backward(DenseLayer previous) {
        // Only the first layer can be input-major, and nothing is back-propagated into the sample.
        Blas.transposedMatVec(weights, fanOut, fanIn, delta, previous.delta);
        previous.activation.multiplyDerivative(previous.preActivation, previous.output, previous.delta, fanIn);
    }

    /** The gradient of the weights, delta input^T in this layer's layout, bound to the live buffers. */
    Gradient weightGradient(FloatTensor input) {
        return inputMajor() ? new Gradient.SparseOuterProduct(input, inputRuns, fanIn, delta, fanOut)
                : new Gradient.OuterProduct(delta, fanOut, input, fanIn);
    }
}
