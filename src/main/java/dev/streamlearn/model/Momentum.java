package dev.streamlearn.model;

import java.util.List;

/**
 * SGD with classical (heavy-ball) momentum (Polyak, 1964): v = mu v - lr g; p += v.
 * State: one velocity tensor per parameter.
 */
public final class Momentum implements Optimiser {
    private final float momentum;
    private final List<FloatTensor> velocity;

    public Momentum(List<FloatTensor> parameters, double momentum) {
        this.momentum = (float) Hyperparameters.unitInterval("momentum", momentum);
        this.velocity = Hyperparameters.zerosLike(parameters);
    }

    @Override
    public void step(List<FloatTensor> parameters, List<Gradient> gradients, float learningRate, long updateNumber) {
        for (int i = 0; i < parameters.size(); i++) {
            FloatTensor v = velocity.get(i);
            Blas.scale(momentum, v);
            gradients.get(i).addTo(v, -learningRate);
            Blas.axpy(1f, v, parameters.get(i));
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
