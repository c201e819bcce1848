package dev.streamlearn.model;

import java.util.List;

/** Plain stochastic gradient descent (Robbins and Monro, 1951): p -= lr g. No state. */
public final class Sgd implements Optimiser {

    @Override
    public void step(List<FloatTensor> parameters, List<Gradient> gradients, float learningRate, long updateNumber) {
        for (int i = 0; i < parameters.size(); i++) {
            gradients.get(i).addTo(parameters.get(i), -learningRate);
        }
    }

    @Override
    public List<float[]> saveState() {
        return List.of();
    }

    @Override
    public void restoreState(List<float[]> state) {
        // No state.
    }
}
