package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy of a network over many samples at once: each layer is one matrix product over a batch of rows
 * (sgemm on the same parameter buffers), so evaluating the 10k test set takes a fraction of a second.
 */
public final class BatchEvaluator {
    private final Network network;
    private final int batchSize;
    private final FloatTensor inputs;
    private final List<FloatTensor> outputs = new ArrayList<>();

    public BatchEvaluator(Network network, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("evaluation batch size is " + batchSize + ", expected > 0");
        }
        this.network = network;
        this.batchSize = batchSize;
        this.inputs = FloatTensor.zeros(batchSize, network.config().inputSize());
        for (int l = 0; l < network.layerCount(); l++) {
            outputs.add(FloatTensor.zeros(batchSize, network.layer(l).fanOut));
        }
    }

    /**
     * Fraction of samples whose prediction equals the head's target for their label.
     *
     * @param pixels count x inputSize unsigned bytes, sample after sample
     * @param labels count class labels
     */
    public double accuracy(byte[] pixels, int[] labels) {
        int inputSize = network.config().inputSize();
        if (pixels.length != (long) labels.length * inputSize) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes do not hold " + labels.length
                    + " samples of " + inputSize);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no samples to evaluate");
        }
        long correct = 0;
        DenseLayer outputLayer = network.layer(network.layerCount() - 1);
        Objective objective = network.config().loss();
        Standardiser standardiser = network.standardiser();
        float[] row = new float[inputSize];
        float[] standardised = new float[inputSize];
        for (int start = 0; start < labels.length; start += batchSize) {
            int rows = Math.min(batchSize, labels.length - start);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < inputSize; i++) {
                    row[i] = (pixels[(start + r) * inputSize + i] & 0xff) * (1f / 255f);
                }
                if (standardiser != null) {
                    standardiser.apply(row, standardised);
                }
                float[] loaded = standardiser != null ? standardised : row;
                for (int i = 0; i < inputSize; i++) {
                    inputs.set(r * inputSize + i, loaded[i]);
                }
            }
            FloatTensor logits = forward(rows);
            for (int r = 0; r < rows; r++) {
                int predicted = objective.predict(logits, r * outputLayer.fanOut, outputLayer.fanOut);
                if (predicted == network.target(labels[start + r])) {
                    correct++;
                }
            }
        }
        return (double) correct / labels.length;
    }

    private FloatTensor forward(int rows) {
        FloatTensor previous = inputs;
        for (int l = 0; l < network.layerCount(); l++) {
            DenseLayer layer = network.layer(l);
            FloatTensor z = outputs.get(l);
            for (int r = 0; r < rows; r++) {
                for (int u = 0; u < layer.fanOut; u++) {
                    z.set(r * layer.fanOut + u, layer.bias.get(u));
                }
            }
            if (layer.inputMajor()) {
                Blas.matMul(previous, layer.weights, rows, layer.fanIn, layer.fanOut, 1f, z);
            } else {
                Blas.matMulTransposed(previous, layer.weights, rows, layer.fanIn, layer.fanOut, 1f, z);
            }
            if (layer.activation != null) {
                layer.activation.apply(z, z, rows * layer.fanOut);
            }
            previous = z;
        }
        return previous;
    }
}
