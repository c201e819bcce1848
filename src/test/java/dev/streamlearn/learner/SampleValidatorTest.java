package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.SeededRandom;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a record must be to reach the model, and the stage and reason it is refused with otherwise. */
class SampleValidatorTest {
    private final SampleValidator validator = new SampleValidator(ModelConfig.preset("M2").build());

    private static Sample sample() {
        return LearnerTopologyTest.syntheticSample(3, new SeededRandom(1));
    }

    @Test
    @DisplayName("a valid sample is accepted")
    void accepts() {
        assertTrue(validator.check(Topics.SAMPLE_SERDE.encode(sample())).accepted());
    }

    @Test
    @DisplayName("negative rows and columns whose product matches the pixels are refused at validation")
    void negativeShape() {
        Sample flipped = sample();
        flipped.setRows(-28);
        flipped.setCols(-28);
        SampleValidator.Checked checked = validator.check(Topics.SAMPLE_SERDE.encode(flipped));
        assertFalse(checked.accepted());
        assertEquals("validate", checked.stage());
        assertEquals("rows x cols is -28 x -28, expected both > 0", checked.reason());
    }

    @Test
    @DisplayName("a record of a few bytes whose pixel length claims a gibibyte is refused at decoding by Avro's limit")
    void lengthPrefixBeyondTheRecord() {
        byte[] valid = Topics.SAMPLE_SERDE.encode(sample());
        byte[] header = Arrays.copyOf(valid, 14); // marker, fingerprint, id, label, rows, cols: one byte each
        byte[] gibibyte = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}; // zig-zag varint of 2^30
        byte[] poison = Arrays.copyOf(header, header.length + gibibyte.length + 4);
        System.arraycopy(gibibyte, 0, poison, header.length, gibibyte.length);
        SampleValidator.Checked checked = validator.check(poison);
        assertFalse(checked.accepted());
        assertEquals("decode", checked.stage());
        assertTrue(checked.reason().contains("Bytes length 1073741824 exceeds maximum allowed"), checked.reason());
    }

    @Test
    @DisplayName("a record with bytes after its end is refused at decoding, saying how many")
    void trailingBytes() {
        byte[] encoded = Topics.SAMPLE_SERDE.encode(sample());
        SampleValidator.Checked checked = validator.check(Arrays.copyOf(encoded, encoded.length + 3));
        assertFalse(checked.accepted());
        assertEquals("decode", checked.stage());
        assertTrue(checked.reason().contains("3 bytes after the end of the Sample record"), checked.reason());
    }
}
