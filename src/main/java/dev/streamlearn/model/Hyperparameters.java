package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/** Range checks whose messages name the hyperparameter, its value and the allowed range. */
final class Hyperparameters {
    private Hyperparameters() {
    }

    static double positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " is " + value + ", expected a finite number > 0");
        }
        return value;
    }

    static double nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " is " + value + ", expected a finite number >= 0");
        }
        return value;
    }

    /** [0, 1): momentum and decay rates, where 1 would never forget. */
    static double unitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " is " + value + ", expected a number in [0, 1)");
        }
        return value;
    }

    static List<FloatTensor> zerosLike(List<FloatTensor> tensors) {
        List<FloatTensor> copies = new ArrayList<>(tensors.size());
        for (FloatTensor tensor : tensors) {
            copies.add(FloatTensor.zeros(tensor.shape()));
        }
        return List.copyOf(copies);
    }
}
