package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Features;
import dev.streamlearn.kafka.Topics;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The learner's own Features decoder reads exactly what Avro's reader reads, and refuses what it refuses. */
class FeaturesDecoderTest {
    private static final Features SPARSE = Features.newBuilder().setValues(List.of(0.5f, -2f)).setIndices(List.of(1, 7))
            .setSize(9).setLabel(3).setTarget(null).setWeight(0.25).setEventTime(Instant.ofEpochMilli(1234))
            .setSource("sensor-4").build();
    private static final Features NUMBERS = Features.newBuilder().setValues(List.of(1f, 2f, 3f)).setIndices(null)
            .setSize(null).setLabel(null).setTarget(List.of(1.5, -0.5)).setWeight(null).setEventTime(null)
            .setSource(null).build();

    @Test
    @DisplayName("every field of a sparse labelled row and of a dense numeric row reads as Avro's reader reads it")
    void readsWhatAvroReads() throws IOException {
        FeaturesDecoder decoder = new FeaturesDecoder();
        for (Features written : List.of(SPARSE, NUMBERS, SPARSE)) {
            byte[] bytes = Topics.FEATURES_SERDE.encode(written);
            assertTrue(FeaturesDecoder.current(bytes));
            assertEquals(Topics.FEATURES_SERDE.decode(bytes), decoder.decode(bytes));
        }
    }

    @Test
    @DisplayName("a truncated body, bytes after the record, and another schema's record are refused")
    void refuses() {
        byte[] bytes = Topics.FEATURES_SERDE.encode(NUMBERS);
        FeaturesDecoder decoder = new FeaturesDecoder();
        assertThrows(EOFException.class, () -> decoder.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        assertEquals("bytes after the end of the Features record (" + (bytes.length + 2) + " in all)",
                assertThrows(IOException.class, () -> decoder.decode(Arrays.copyOf(bytes, bytes.length + 2)))
                        .getMessage());
        assertFalse(FeaturesDecoder.current(Topics.SAMPLE_SERDE.encode(
                LearnerTopologyTest.syntheticSample(1, new dev.streamlearn.model.SeededRandom(1)))));
    }
}
