package dev.streamlearn.model;

import java.util.List;

/**
 * AdaGrad (Duchi, Hazan and Singer, 2011): s += g^2; p -= lr g / (sqrt(s) + eps).
 * State: the running sum of squared gradients per parameter.
 */
public final class AdaGrad implements Optimiser {
    private final float epsilon;
    private final List<FloatTensor> squaredSums;
    private final List<FloatTensor> scratch;

    public AdaGrad(List<FloatTensor> parameters, double epsilon) {
        this.epsilon = (float) Hyperparameters.positive("epsilon", epsilon);
        this.squaredSums = Hyperparameters.zerosLike(parameters);
        this.scratch = Hyperparameters.zerosLike(parameters);
    }

    @Override
    public void step(List<FloatTensor> parameters, List<Gradient> gradients, float learningRate, long updateNumber) {
        for (int t = 0; t < parameters.size(); t++) {
            FloatTensor g = scratch.get(t);
            gradients.get(t).copyTo(g);
            FloatTensor s = squaredSums.get(t);
            FloatTensor p = parameters.get(t);
            for (int i = 0; i < p.length(); i++) {
                float gi = g.get(i);
                float si = s.get(i) + gi * gi;
                s.set(i, si);
                p.set(i, p.get(i) - learningRate * gi / ((float) Math.sqrt(si) + epsilon));
            }
        }
    }

    @Override
    public List<FloatTensor> state() {
        return squaredSums;
    }
}
