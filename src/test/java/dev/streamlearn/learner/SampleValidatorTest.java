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
    @DisplayName("an image with label -1 is accepted unlabelled (predicted, not learned); -2 is refused, naming -1")
    void unlabelledImage() {
        Sample unlabelled = sample();
        unlabelled.setLabel(Topics.NO_LABEL);
        SampleValidator.Checked checked = validator.check(Topics.SAMPLE_SERDE.encode(unlabelled));
        assertTrue(checked.accepted());
        assertFalse(checked.input().labelled());
        unlabelled.setLabel(-2);
        SampleValidator.Checked refused = validator.check(Topics.SAMPLE_SERDE.encode(unlabelled));
        assertEquals("label -2 is outside the model's classes 0..9 (or -1: no label)", refused.reason());
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

    private static final ModelConfig CLASSES = ModelConfig.preset("M2").layers(java.util.List.of(3, 2)).build();
    private static final ModelConfig NUMBERS = ModelConfig.preset("M2").layers(java.util.List.of(3, 1))
            .loss(dev.streamlearn.model.Objective.MSE).build();

    private static byte[] features(java.util.List<Float> values, java.util.List<Integer> indices, Integer size,
                                   Integer label, java.util.List<Double> target, Double weight) {
        return Topics.FEATURES_SERDE.encode(dev.streamlearn.avro.Features.newBuilder().setValues(values)
                .setIndices(indices).setSize(size).setLabel(label).setTarget(target).setWeight(weight)
                .setEventTime(null).setSource("test").build());
    }

    private static String refusal(SampleValidator validator, byte[] value) {
        SampleValidator.Checked checked = validator.check(value);
        assertFalse(checked.accepted());
        return checked.stage() + ": " + checked.reason();
    }

    @Test
    @DisplayName("Features records, told from Samples by fingerprint: dense and sparse rows, classes, numbers, none")
    void featuresAccepted() {
        SampleValidator classes = new SampleValidator(CLASSES);
        TrainingInput dense = classes.check(features(java.util.List.of(1f, 2f, 3f), null, null, 1, null, null))
                .input();
        assertEquals(TrainingInput.Kind.FEATURES, dense.kind);
        assertEquals(1, dense.label);
        assertTrue(Arrays.equals(new float[] {1, 2, 3}, dense.features));
        TrainingInput sparse = classes.check(features(java.util.List.of(5f), java.util.List.of(2), 3, 0, null, 0.5))
                .input();
        assertTrue(Arrays.equals(new float[] {0, 0, 5}, sparse.features));
        assertEquals(0.5f, sparse.weight);
        assertFalse(classes.check(features(java.util.List.of(1f, 2f, 3f), null, null, null, null, null)).input()
                .labelled());
        TrainingInput number = new SampleValidator(NUMBERS).check(features(java.util.List.of(1f, 2f, 3f), null, null,
                null, java.util.List.of(2.5), null)).input();
        assertTrue(number.numeric);
        assertEquals(2.5f, number.targets[0]);
    }

    @Test
    @DisplayName("a Features row the model cannot take is refused with its reason")
    void featuresRefused() {
        SampleValidator classes = new SampleValidator(CLASSES);
        SampleValidator numbers = new SampleValidator(NUMBERS);
        assertEquals("validate: record has 2 features, the model takes 3",
                refusal(classes, features(java.util.List.of(1f, 2f), null, null, 0, null, null)));
        assertEquals("validate: feature 1 is NaN, expected a finite number",
                refusal(classes, features(java.util.List.of(1f, Float.NaN, 2f), null, null, 0, null, null)));
        assertEquals("validate: sparse index 0 at position 1 is not strictly ascending within 0..2",
                refusal(classes, features(java.util.List.of(1f, 2f), java.util.List.of(1, 0), 3, 0, null, null)));
        assertEquals("validate: label 2 is outside the model's classes 0..1",
                refusal(classes, features(java.util.List.of(1f, 2f, 3f), null, null, 2, null, null)));
        assertEquals("validate: record has a numeric target and the softmax-cross-entropy head learns classes "
                        + "(give a label)",
                refusal(classes, features(java.util.List.of(1f, 2f, 3f), null, null, null, java.util.List.of(1.0),
                        null)));
        assertEquals("validate: record has a class (label 1) and the mse head learns numbers (give a target)",
                refusal(numbers, features(java.util.List.of(1f, 2f, 3f), null, null, 1, null, null)));
        assertEquals("validate: weight is -1.0, expected a finite number >= 0",
                refusal(classes, features(java.util.List.of(1f, 2f, 3f), null, null, 0, null, -1.0)));
        assertEquals("validate: a Sample carries a class, and the mse head learns numbers",
                refusal(new SampleValidator(ModelConfig.preset("M2").layers(java.util.List.of(784, 1))
                        .loss(dev.streamlearn.model.Objective.MSE).build()), Topics.SAMPLE_SERDE.encode(sample())));
    }

    @Test
    @DisplayName("JSON input: dense and sparse objects, numbers; what is not such an object is refused with why")
    void json() {
        SampleValidator classes = new SampleValidator(CLASSES, InputFormat.JSON);
        SampleValidator numbers = new SampleValidator(NUMBERS, InputFormat.JSON);
        assertEquals(2, classes.check("{\"features\": [1, 2, 3], \"label\": 1}".getBytes()).input().label + 1);
        assertTrue(Arrays.equals(new float[] {0, 7, 0}, classes.check(
                "{\"indices\": [1], \"values\": [7], \"size\": 3, \"label\": 0}".getBytes()).input().features));
        assertEquals(-0.5f, numbers.check("{\"features\": [1, 2, 3], \"target\": -0.5}".getBytes()).input()
                .targets[0]);
        assertEquals("decode: not a JSON object", refusal(classes, "[1, 2]".getBytes()));
        assertEquals("decode: no \"features\" array", refusal(classes, "{\"label\": 1}".getBytes()));
        assertEquals("decode: feature 1 is \"a\", expected a number",
                refusal(classes, "{\"features\": [1, \"a\", 3]}".getBytes()));
        assertTrue(refusal(classes, "{\"features\": [1, 2".getBytes()).startsWith("decode: not JSON: "));
    }
}
