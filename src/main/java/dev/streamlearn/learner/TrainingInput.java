package dev.streamlearn.learner;

/**
 * One record made ready for a step, valid until the next record is checked: an image (pixels) or a feature vector,
 * with a class, numeric targets, or no target. The validator fills one instance per learner, reusing its buffers: a
 * fresh object and arrays per record were garbage on every step.
 */
final class TrainingInput {
    /** What the record carried. */
    enum Kind { PIXELS, FEATURES }

    Kind kind;
    final byte[] pixels;
    final float[] features;
    final float[] targets;
    /** The class, or -1 when the record has none. */
    int label;
    /** Whether {@link #targets} holds this record's numbers. */
    boolean numeric;
    float weight;

    TrainingInput(int inputSize, int outputSize) {
        this.pixels = new byte[inputSize];
        this.features = new float[inputSize];
        this.targets = new float[outputSize];
    }

    /** Whether the record says what to learn: a class or numbers. */
    boolean labelled() {
        return label >= 0 || numeric;
    }
}
