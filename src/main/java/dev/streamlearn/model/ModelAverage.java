package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One round of local SGD with periodic model averaging: the element-wise mean of P replicas of one model, which every
 * replica then adopts, and how far each replica had drifted from it.
 *
 * <p>What is averaged: every parameter, and every optimiser state array (momentum's velocity, AdaGrad's and RMSProp's
 * squared-gradient accumulators, Adam's first and second moments): each is a running estimate over the replica's own
 * gradients at the same decay, so their mean is the estimate over the union of the replicas' gradients. Each replica
 * keeps its own update count, which drives its learning-rate schedule and Adam's bias correction: it counts the steps
 * behind that replica's estimates. A standardiser's running statistics are averaged too (counts, means and sums of
 * squared deviations), which equal-sized partitions make the statistics of the pooled inputs' mean.
 *
 * <p>Deterministic: each element is summed in float64 in replica order, divided by P and rounded to float once, so
 * every replica that averages the same contributions in the same order holds bitwise the same model.
 */
public final class ModelAverage {
    private final List<float[]> tensors;
    private final int parameterTensors;
    private final long standardiserCount;
    private final double[] standardiserMeans;
    private final double[] standardiserM2;
    private final double[] divergence;
    private final double averageNorm;

    private ModelAverage(List<float[]> tensors, int parameterTensors, long standardiserCount,
                         double[] standardiserMeans, double[] standardiserM2, double[] divergence,
                         double averageNorm) {
        this.tensors = tensors;
        this.parameterTensors = parameterTensors;
        this.standardiserCount = standardiserCount;
        this.standardiserMeans = standardiserMeans;
        this.standardiserM2 = standardiserM2;
        this.divergence = divergence;
        this.averageNorm = averageNorm;
    }

    /** The average of replicas of one configuration, given in replica (partition) order. */
    public static ModelAverage of(List<OnlineTrainer> replicas) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("no replicas to average");
        }
        ModelConfig config = replicas.get(0).config();
        List<List<float[]>> states = new ArrayList<>(replicas.size());
        for (OnlineTrainer replica : replicas) {
            if (!replica.config().equals(config)) {
                throw new IllegalArgumentException("replicas of different models: " + config.describe() + " and "
                        + replica.config().describe());
            }
            List<float[]> state = FloatTensor.toArrays(replica.network().parameters());
            state.addAll(replica.optimiser().saveState());
            states.add(state);
        }
        int parameterTensors = replicas.get(0).network().parameters().size();
        List<float[]> mean = new ArrayList<>(states.get(0).size());
        for (int t = 0; t < states.get(0).size(); t++) {
            mean.add(elementMean(states, t));
        }
        double[] divergence = new double[replicas.size()];
        double averageSquares = 0;
        for (int t = 0; t < parameterTensors; t++) {
            float[] average = mean.get(t);
            for (float value : average) {
                averageSquares += (double) value * value;
            }
            for (int r = 0; r < replicas.size(); r++) {
                float[] own = states.get(r).get(t);
                double squares = 0;
                for (int i = 0; i < own.length; i++) {
                    double difference = (double) own[i] - average[i];
                    squares += difference * difference;
                }
                divergence[r] += squares;
            }
        }
        for (int r = 0; r < divergence.length; r++) {
            divergence[r] = Math.sqrt(divergence[r]);
        }
        Standardiser first = replicas.get(0).network().standardiser();
        if (first == null) {
            return new ModelAverage(mean, parameterTensors, 0, null, null, divergence, Math.sqrt(averageSquares));
        }
        double count = 0;
        double[] means = new double[first.features()];
        double[] m2 = new double[first.features()];
        for (OnlineTrainer replica : replicas) {
            Standardiser standardiser = replica.network().standardiser();
            count += standardiser.count();
            add(means, standardiser.means());
            add(m2, standardiser.m2());
        }
        scale(means, replicas.size());
        scale(m2, replicas.size());
        return new ModelAverage(mean, parameterTensors, Math.round(count / replicas.size()), means, m2, divergence,
                Math.sqrt(averageSquares));
    }

    private static float[] elementMean(List<List<float[]>> states, int tensor) {
        int length = states.get(0).get(tensor).length;
        double[] sum = new double[length];
        for (List<float[]> state : states) {
            float[] values = state.get(tensor);
            for (int i = 0; i < length; i++) {
                sum[i] += values[i];
            }
        }
        float[] mean = new float[length];
        for (int i = 0; i < length; i++) {
            mean[i] = (float) (sum[i] / states.size());
        }
        return mean;
    }

    private static void add(double[] into, double[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }

    private static void scale(double[] values, int divisor) {
        for (int i = 0; i < values.length; i++) {
            values[i] /= divisor;
        }
    }

    /** Replaces a replica's parameters, optimiser state and standardiser statistics by the average. */
    public void applyTo(OnlineTrainer replica) {
        FloatTensor.copyFrom(tensors.subList(0, parameterTensors), replica.network().parameters());
        replica.optimiser().restoreState(tensors.subList(parameterTensors, tensors.size()));
        Standardiser standardiser = replica.network().standardiser();
        if (standardiser != null) {
            standardiser.restore(standardiserCount, standardiserMeans, standardiserM2);
        }
    }

    /** Each replica's distance from the average before the round, ||theta_p - mean||_2 over the parameters. */
    public double[] divergence() {
        return divergence.clone();
    }

    /**
     * The largest replica's divergence over the average's norm: near 0 when the replicas agree; when it grows towards 1
     * between rounds the replicas are learning different models, and averaging them loses what each learned.
     */
    public double relativeDivergence() {
        double largest = 0;
        for (double distance : divergence) {
            largest = Math.max(largest, distance);
        }
        return averageNorm == 0 ? largest : largest / averageNorm;
    }

    /** ||mean||_2 over the parameters: the scale the divergence is read against. */
    public double averageNorm() {
        return averageNorm;
    }
}
