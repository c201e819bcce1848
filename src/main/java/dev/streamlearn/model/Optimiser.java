package dev.streamlearn.model;

import java.util.List;

/**
 * Turns one sample's gradients into a parameter update. Each implementation documents its paper and its state; the
 * state is part of a model snapshot, so a restored optimiser continues bitwise where it stopped.
 */
public interface Optimiser {

    /**
     * Applies one update.
     *
     * @param parameters the tensors to update, in model order
     * @param gradients their gradients, same order
     * @param learningRate the rate in force for this update
     * @param updateNumber 1 for the first update, counting only updates that were applied
     */
    void step(List<FloatTensor> parameters, List<Gradient> gradients, float learningRate, long updateNumber);

    /** Copies of the state arrays in a fixed order (empty for plain SGD). */
    List<float[]> saveState();

    /** Sets the state from arrays in the order and of the lengths {@link #saveState} gives. */
    void restoreState(List<float[]> state);
}
