package dev.streamlearn.model;

import java.util.List;

/**
 * AdaGrad (Duchi, Hazan and Singer, 2011): s += g^2; p -= lr g / (sqrt(s) + eps).
 * State: the running sum of squared gradients per parameter.
 */
public final class AdaGrad extends ElementwiseOptimiser {
    private final float epsilon;
    private float learningRate;

    public AdaGrad(List<FloatTensor> parameters, double epsilon) {
        super(parameters, 1);
        this.epsilon = (float) Hyperparameters.positive("epsilon", epsilon);
    }

    @Override
    void beginStep(float rate, long updateNumber) {
        learningRate = rate;
    }

    @Override
    void updateRow(float[][] stateOfRow, float scale, float[] values, float[] p, int width) {
        float[] s = stateOfRow[0];
        for (int j = 0; j < width; j++) {
            float gi = scale * values[j];
            float si = s[j] + gi * gi;
            s[j] = si;
            p[j] = p[j] - learningRate * gi / ((float) Math.sqrt(si) + epsilon);
        }
    }
}
