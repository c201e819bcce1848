package dev.streamlearn.model;

import java.util.List;

/**
 * RMSProp (Tieleman and Hinton, 2012, lecture 6.5): s = rho s + (1 - rho) g^2; p -= lr g / (sqrt(s) + eps).
 * State: the moving mean of squared gradients per parameter.
 */
public final class RmsProp extends ElementwiseOptimiser {
    private final float rho;
    private final float epsilon;
    private float learningRate;

    public RmsProp(List<FloatTensor> parameters, double rho, double epsilon) {
        super(parameters, 1);
        this.rho = (float) Hyperparameters.unitInterval("rho", rho);
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
            float si = rho * s[j] + (1f - rho) * gi * gi;
            s[j] = si;
            p[j] = p[j] - learningRate * gi / ((float) Math.sqrt(si) + epsilon);
        }
    }
}
