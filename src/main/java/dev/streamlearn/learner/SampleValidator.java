package dev.streamlearn.learner;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.ModelConfig;

/**
 * Turns raw record bytes into a sample the model can take, or into the reason it cannot. Nothing here touches the
 * model, so a refused record leaves it bitwise as it was.
 */
final class SampleValidator {
    private final int inputSize;
    private final int classes;
    /**
     * Every record is decoded into this one sample: the processor is done with a sample (its pixels copied out)
     * before the next record, and a fresh object and pixel buffer per record was ~1 KB of garbage per step.
     */
    private Sample reusable;

    SampleValidator(ModelConfig model) {
        this.inputSize = model.inputSize();
        this.classes = model.loss().isBinary() ? 10 : model.outputSize();
    }

    /**
     * The outcome of checking one record: a sample, valid until the next check, or the stage and reason of its
     * refusal.
     */
    record Checked(Sample sample, String stage, String reason, Throwable cause) {
        boolean accepted() {
            return sample != null;
        }
    }

    Checked check(byte[] value) {
        if (value == null) {
            return new Checked(null, "decode", "record has a null value", null);
        }
        Sample sample;
        try {
            sample = Topics.SAMPLE_SERDE.decode(value, reusable);
            reusable = sample;
        } catch (Exception e) {
            return new Checked(null, "decode", "not an Avro single-object encoded Sample: " + e.getMessage(), e);
        }
        int pixels = sample.getPixels().remaining();
        if (sample.getRows() <= 0 || sample.getCols() <= 0) {
            return new Checked(null, "validate", "rows x cols is " + sample.getRows() + " x " + sample.getCols()
                    + ", expected both > 0", null);
        }
        if ((long) sample.getRows() * sample.getCols() != pixels) {
            return new Checked(null, "validate", "pixels has " + pixels + " bytes, expected rows x cols = "
                    + sample.getRows() + " x " + sample.getCols() + " = " + (long) sample.getRows() * sample.getCols(),
                    null);
        }
        if (pixels != inputSize) {
            return new Checked(null, "validate", "sample has " + pixels + " pixels, the model takes " + inputSize,
                    null);
        }
        if (sample.getLabel() < 0 || sample.getLabel() >= classes) {
            return new Checked(null, "validate", "label " + sample.getLabel() + " is outside the model's classes 0.."
                    + (classes - 1), null);
        }
        return new Checked(sample, null, null, null);
    }
}
