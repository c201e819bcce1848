package dev.streamlearn.model;

import java.util.List;

/**
 * Nesterov accelerated gradient in the form of Sutskever et al. (2013), rewritten so the gradient is taken at the
 * current parameters: v' = mu v - lr g; p += -mu v + (1 + mu) v'. State: one velocity tensor per parameter.
 */
public final class Nesterov implements Optimiser {
    private final float momentum;
    private final List<FloatTensor> velocity;

    public Nesterov(List<FloatTensor> parameters, double momentum) {
        this.momentum = (float) Hyperparameters.unitInterval("momentum", momentum);
        this.velocity = Hyperparameters.zerosLike(parameters);
    }

    @Override
    public void step(List<FloatTensor> parameters, List<Gradient> gradients, float learningRate, long updateNumber) {
        for (int i = 0; i < parameters.size(); i++) {
            FloatTensor v = velocity.get(i);
            FloatTensor p = parameters.get(i);
            Blas.axpy(-momentum, v, p);
            Blas.scale(momentum, v);
            gradients.get(i).addTo(v, -learningRate);
            Blas.axpy(1f + momentum, v, p);
        }
    }

    @Override
    public List<float[]> saveState() {
        return FloatTensor.toArrays(velocity);
    }

    @Override
    public void restoreState(List<float[]> state) {
        FloatTensor.copyFrom(state, velocity);
    }
}
