package dev.streamlearn.model;

/**
 * A fully connected layer a = f(W x + b) with W stored row-major [fanOut, fanIn] (each unit's weights contiguous,
 * which makes the rank-1 update a few long AXPYs instead of many short ones), plus the per-sample buffers its forward
 * and backward passes write (pre-activation, activation, delta = dL/dz). The output layer has no activation of its
 * own: its pre-activation goes to the {@link Objective}.
 */
final class DenseLayer {
    final int fanIn;
    final int fanOut;
    /** Null on the output layer. */
    final Activation activation;
    final FloatTensor weights;
    final FloatTensor bias;
    final FloatTensor preActivation;
    final FloatTensor output;
    final FloatTensor delta;

    DenseLayer(int fanIn, int fanOut, Activation activation) {
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.activation = activation;
        this.weights = FloatTensor.zeros(fanOut, fanIn);
        this.bias = FloatTensor.zeros(fanOut);
        this.preActivation = FloatTensor.zeros(fanOut);
        this.output = activation == null ? preActivation : FloatTensor.zeros(fanOut);
        this.delta = FloatTensor.zeros(fanOut);
    }

    /** z = W input + b, then a = f(z). */
    void forward(FloatTensor input) {
        Blas.copy(bias, preActivation);
        Blas.matVec(weights, fanOut, fanIn, input, 1f, preActivation);
        if (activation != null) {
            activation.apply(preActivation, output, fanOut);
        }
    }

    /** Writes W^T delta into the previous layer's delta and multiplies by that layer's f'(z). */
    void backward(DenseLayer previous) {
        Blas.transposedMatVec(weights, fanOut, fanIn, delta, previous.delta);
        previous.activation.multiplyDerivative(previous.preActivation, previous.output, previous.delta, fanIn);
    }
}
