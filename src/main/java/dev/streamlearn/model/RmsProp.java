package dev.streamlearn.model;

import java.util.List;

/**
 * RMSProp (Tieleman and Hinton, 2012, lecture 6.5): s = rho s + (1 - rho) g^2; p -= lr g / (sqrt(s) + eps).
 * State: the moving mean of squared gradients per parameter.
 */
public final class RmsProp implements Optimiser {
    private final float rho;
    private final float epsilon;
    private final List<FloatTensor> meanSquares;
    private final List<FloatTensor> scratch;

    public RmsProp(List<FloatTensor> parameters, double rho, double epsilon) {
        this.rho = (float) Hyperparameters.unitInterval("rho", rho);
        this.epsilon = (float) Hyperparameters.positive("epsilon", epsilon);
        this.meanSquares = Hyperparameters.zerosLike(parameters);
        this.scratch = Hyperparameters.zerosLike(parameters);
    }

    @Override
    public void step(List<FloatTensor> parameters, List<Gradient> gradients, float learningRate, long updateNumber) {
        for (int t = 0; t < parameters.size(); t++) {
            FloatTensor g = scratch.get(t);
            gradients.get(t).copyTo(g);
            FloatTensor s = meanSquares.get(t);
            FloatTensor p = parameters.get(t);
            for (int i = 0; i < p.length(); i++) {
                float gi = g.get(i);
                float si = rho * s.get(i) + (1f - rho) * gi * gi;
                s.set(i, si);
                p.set(i, p.get(i) - learningRate * gi / ((float) Math.sqrt(si) + epsilon));
            }
        }
    }

    @Override
    public List<FloatTensor> state() {
        return meanSquares;
    }
}
