package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, and AdamW (Loshchilov and Hutter, 2019) when the decoupled
 * weight decay is above zero: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) + lr wd p.
 * State: first and second moment per parameter (the step t is the update number).
 */
public final class Adam implements Optimiser {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float decoupledWeightDecay;
    private final List<FloatTensor> firstMoments;
    private final List<FloatTensor> secondMoments;
    private final List<FloatTensor> scratch;

    public Adam(List<FloatTensor> parameters, double beta1, double beta2, double epsilon, double decoupledWeightDecay) {
        this.beta1 = (float) Hyperparameters.unitInterval("beta1", beta1);
        this.beta2 = (float) Hyperparameters.unitInterval("beta2", beta2);
        this.epsilon = (float) Hyperparameters.positive("epsilon", epsilon);
        this.decoupledWeightDecay = (float) Hyperparameters.nonNegative("weight-decay", decoupledWeightDecay);
        this.firstMoments = Hyperparameters.zerosLike(parameters);
        this.secondMoments = Hyperparameters.zerosLike(parameters);
        this.scratch = Hyperparameters.zerosLike(parameters);
    }

    @Override
    public void step(List<FloatTensor> parameters, List<Gradient> gradients, float learningRate, long updateNumber) {
        float firstCorrection = (float) (1.0 - Math.pow(beta1, updateNumber));
        float secondCorrection = (float) (1.0 - Math.pow(beta2, updateNumber));
        float decay = learningRate * decoupledWeightDecay;
        for (int t = 0; t < parameters.size(); t++) {
            FloatTensor g = scratch.get(t);
            gradients.get(t).copyTo(g);
            FloatTensor m = firstMoments.get(t);
            FloatTensor v = secondMoments.get(t);
            FloatTensor p = parameters.get(t);
            for (int i = 0; i < p.length(); i++) {
                float gi = g.get(i);
                float mi = beta1 * m.get(i) + (1f - beta1) * gi;
                float vi = beta2 * v.get(i) + (1f - beta2) * gi * gi;
                m.set(i, mi);
                v.set(i, vi);
                float pi = p.get(i);
                float adaptive = (mi / firstCorrection) / ((float) Math.sqrt(vi / secondCorrection) + epsilon);
                p.set(i, pi - learningRate * adaptive - decay * pi);
            }
        }
    }

    @Override
    public List<FloatTensor> state() {
        List<FloatTensor> state = new ArrayList<>(firstMoments);
        state.addAll(secondMoments);
        return state;
    }
}
