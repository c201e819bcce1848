package dev.streamlearn.model;

import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, and AdamW (Loshchilov and Hutter, 2019) when the decoupled
 * weight decay is above zero: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) + lr wd p.
 * State: first moments of every parameter tensor, then second moments (the step t is the update number).
 */
public final class Adam extends ElementwiseOptimiser {
    private static final int FIRST = 0;
    private static final int SECOND = 1;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float decoupledWeightDecay;
    private float learningRate;
    private float firstCorrection;
    private float secondCorrection;
    private float decay;

    public Adam(List<FloatTensor> parameters, double beta1, double beta2, double epsilon, double decoupledWeightDecay) {
        super(parameters, 2);
        this.beta1 = (float) Hyperparameters.unitInterval("beta1", beta1);
        this.beta2 = (float) Hyperparameters.unitInterval("beta2", beta2);
        this.epsilon = (float) Hyperparameters.positive("epsilon", epsilon);
        this.decoupledWeightDecay = (float) Hyperparameters.nonNegative("weight-decay", decoupledWeightDecay);
    }

    @Override
    void beginStep(float rate, long updateNumber) {
        learningRate = rate;
        firstCorrection = (float) (1.0 - Math.pow(beta1, updateNumber));
        secondCorrection = (float) (1.0 - Math.pow(beta2, updateNumber));
        decay = rate * decoupledWeightDecay;
    }

    /**
     * Once both bias corrections have rounded to exactly 1 in float (with the default betas, from update 17,300 on),
     * dividing by them is exact and is left out: the same bits, and the loop, bound by the divider, runs half as long
     * again. The test is the same for the whole loop, so the JIT compiles the loop once for each answer.
     */
    @Override
    void updateRow(float[][] stateOfRow, float scale, float[] values, float[] p, int width) {
        boolean corrected = firstCorrection == 1f && secondCorrection == 1f;
        float[] m = stateOfRow[FIRST];
        float[] v = stateOfRow[SECOND];
        for (int j = 0; j < width; j++) {
            float gi = scale * values[j];
            float mi = beta1 * m[j] + (1f - beta1) * gi;
            float vi = beta2 * v[j] + (1f - beta2) * gi * gi;
            m[j] = mi;
            v[j] = vi;
            float pi = p[j];
            float adaptive = corrected ? mi / ((float) Math.sqrt(vi) + epsilon)
                    : (mi / firstCorrection) / ((float) Math.sqrt(vi / secondCorrection) + epsilon);
            p[j] = pi - learningRate * adaptive - decay * pi;
        }
    }
}
