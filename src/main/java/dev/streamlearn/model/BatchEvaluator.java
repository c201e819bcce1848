package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy (or, for numeric heads, errors) of a network over many samples at once: each layer is one matrix product over a batch of rows
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
     * Fraction of images whose prediction equals the head's target for their label.
     *
     * @param pixels count x inputSize unsigned bytes, sample after sample
     * @param labels count class labels
     */
    public double accuracy(byte[] pixels, int[] labels) {
        float[] inputs = new float[pixels.length];
        Pixels.scale(pixels, inputs, 0);
        return accuracy(inputs, labels);
    }

    /**
     * Fraction of samples whose prediction equals the head's target for their label.
     *
     * @param inputs count x inputSize values as the model takes them (pixels scaled to [0, 1]), sample after sample
     * @param labels count class labels
     */
    public double accuracy(float[] inputs, int[] labels) {
        int count = requireRows(inputs, labels.length);
        DenseLayer outputLayer = network.layer(network.layerCount() - 1);
        Objective objective = network.config().loss();
        long correct = 0;
        for (int start = 0; start < count; start += batchSize) {
            int rows = load(inputs, start, Math.min(batchSize, count - start));
            FloatTensor logits = forward(rows);
            for (int r = 0; r < rows; r++) {
                int predicted = objective.predict(logits, r * outputLayer.fanOut, outputLayer.fanOut);
                if (predicted == network.target(labels[start + r])) {
                    correct++;
                }
            }
        }
        return (double) correct / count;
    }

    /** Held-out errors of a numeric head: mean absolute error, root mean squared error, and R-squared. */
    public record Errors(double mae, double rmse, double r2) {
    }

    /**
     * The errors of the estimates (the output scale times each output) against the targets, pooled over every output;
     * R-squared against each output's own mean.
     *
     * @param inputs count x inputSize values, sample after sample
     * @param targets count x outputs numbers, sample after sample
     */
    public Errors errors(float[] inputs, float[] targets) {
        int outputs = network.config().outputSize();
        int count = requireRows(inputs, targets.length / outputs);
        double scale = network.config().outputScale();
        double absolute = 0;
        double squared = 0;
        double[] means = new double[outputs];
        for (int i = 0; i < targets.length; i++) {
            means[i % outputs] += targets[i] / count;
        }
        double total = 0;
        for (int start = 0; start < count; start += batchSize) {
            int rows = load(inputs, start, Math.min(batchSize, count - start));
            FloatTensor z = forward(rows);
            for (int k = 0; k < rows * outputs; k++) {
                double target = targets[start * outputs + k];
                double error = scale * z.get(k) - target;
                absolute += Math.abs(error);
                squared += error * error;
                double deviation = target - means[k % outputs];
                total += deviation * deviation;
            }
        }
        long n = (long) count * outputs;
        return new Errors(absolute / n, Math.sqrt(squared / n), total > 0 ? 1 - squared / total : Double.NaN);
    }

    private int requireRows(float[] inputs, int count) {
        int inputSize = network.config().inputSize();
        if (inputs.length != (long) count * inputSize) {
            throw new IllegalArgumentException(inputs.length + " input values for " + count + " samples of "
                    + inputSize);
        }
        if (count == 0) {
            throw new IllegalArgumentException("no samples to evaluate");
        }
        return count;
    }

    /** Copies rows of inputs into the batch, standardised as the model standardises its input; returns rows. */
    private int load(float[] values, int start, int rows) {
        int inputSize = network.config().inputSize();
        Standardiser standardiser = network.standardiser();
        float[] row = new float[inputSize];
        float[] standardised = new float[inputSize];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, (start + r) * inputSize, row, 0, inputSize);
            if (standardiser != null) {
                standardiser.apply(row, standardised);
            }
            float[] loaded = standardiser != null ? standardised : row;
            for (int i = 0; i < inputSize; i++) {
                inputs.set(r * inputSize + i, loaded[i]);
            }
        }
        return rows;
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
