package dev.streamlearn.learner;

import dev.streamlearn.model.Pixels;

/**
 * One record made ready for a step, valid until the next record is checked: an image (pixels) or a feature vector,
 * with a class, numeric targets, or no target. The validator fills one instance per learner, reusing its buffers: a
 * fresh object and arrays per record were garbage on every step.
 */
public final class TrainingInput {
    /** What the record carried. */
    enum Kind { PIXELS, FEATURES }

    Kind kind;
    final byte[] pixels;
    final float[] features;
    final float[] targets;
    /** The pixels scaled as the model takes them, filled by {@link #modelInput()}. */
    private final float[] scaledPixels;
    /** The class, or -1 when the record has none. */
    int label;
    /** Whether {@link #targets} holds this record's numbers. */
    boolean numeric;
    float weight;

    TrainingInput(int inputSize, int outputSize) {
        this.pixels = new byte[inputSize];
        this.features = new float[inputSize];
        this.targets = new float[outputSize];
        this.scaledPixels = new float[inputSize];
    }

    /** The input as the model takes it (pixels scaled to [0, 1]): valid until the next record is checked. */
    public float[] modelInput() {
        if (kind == Kind.FEATURES) {
            return features;
        }
        Pixels.scale(pixels, scaledPixels, 0);
        return scaledPixels;
    }

    /** Whether the record says what to learn: a class or numbers. */
    boolean labelled() {
        return label >= 0 || numeric;
    }
}
