package dev.streamlearn.producer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Sample;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What each drift does to a record, from its position on, and the flags that are refused. */
class DriftTest {
    private static Sample sample(int label) {
        byte[] pixels = new byte[784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        return Sample.newBuilder().setId(1).setLabel(label).setRows(28).setCols(28).setPixels(ByteBuffer.wrap(pixels))
                .setDataset("test").setEpoch(0).setProducedAt(Instant.EPOCH).build();
    }

    private static byte[] pixels(Sample sample) {
        byte[] pixels = new byte[sample.getPixels().remaining()];
        sample.getPixels().duplicate().get(pixels);
        return pixels;
    }

    @Test
    @DisplayName("AT:KIND parses; a bad position, kind or value is refused naming it")
    void parses() {
        assertEquals(new Drift(30_000, Drift.Kind.PERMUTE_LABELS, 1), Drift.parse("30000:permute-labels"));
        assertEquals(new Drift(5, Drift.Kind.SHIFT_TARGET, 2.5), Drift.parse("5:shift-target=2.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Drift.parse("x:rotate")).getMessage()
                .contains("'x' is not a position"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Drift.parse("10:flip")).getMessage()
                .contains("unknown kind 'flip'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Drift.parse("10:rotate=2")).getMessage()
                .contains("only shift-target takes a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Drift.parse("rotate")).getMessage()
                .contains("expected AT:KIND"));
    }

    @Test
    @DisplayName("labels are permuted from AT on, every class moved, the same way each time; before AT nothing changes")
    void permutesLabels() {
        Drift.Applied<Sample> drifted = Drift.onSamples(List.of(Drift.parse("100:permute-labels")), 7, 10);
        assertEquals(3, drifted.apply(sample(3), 99).getLabel());
        int[] seen = new int[10];
        for (int label = 0; label < 10; label++) {
            int moved = drifted.apply(sample(label), 100).getLabel();
            assertNotEquals(label, moved, "class " + label + " moves");
            assertEquals(moved, drifted.apply(sample(label), 5_000).getLabel(), "the same permutation later");
            seen[moved]++;
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, seen, "a permutation");
        assertEquals(-1, drifted.apply(sample(-1), 200).getLabel(), "an unlabelled sample stays unlabelled");
    }

    @Test
    @DisplayName("rotate turns the image 90 degrees clockwise and invert takes 255 - pixel, both from AT on, the "
            + "source data untouched")
    void rotatesAndInverts() {
        Drift.Applied<Sample> rotate = Drift.onSamples(List.of(Drift.parse("10:rotate")), 0, 10);
        Sample source = sample(1);
        byte[] before = pixels(source);
        byte[] turned = pixels(rotate.apply(sample(1), 10));
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                assertEquals(before[r * 28 + c], turned[c * 28 + (27 - r)], "pixel " + r + "," + c);
            }
        }
        assertArrayEquals(before, pixels(rotate.apply(source, 9)));
        Drift.Applied<Sample> invert = Drift.onSamples(List.of(Drift.parse("0:invert")), 0, 10);
        byte[] inverse = pixels(invert.apply(sample(1), 0));
        for (int i = 0; i < 784; i++) {
            assertEquals(255 - (before[i] & 0xff), inverse[i] & 0xff);
        }
        assertArrayEquals(before, pixels(source), "the source sample's pixels are not changed");
    }

    @Test
    @DisplayName("shift-target adds its value to every target of a row from AT on; drifts add up")
    void shiftsTargets() {
        Drift.Applied<Features> shift = Drift.onFeatures(List.of(Drift.parse("10:shift-target=2"),
                Drift.parse("20:shift-target=0.5")), 0, 0);
        Features row = Features.newBuilder().setValues(List.of(1f)).setIndices(null).setSize(null).setLabel(null)
                .setTarget(List.of(1.0, -1.0)).setWeight(null).setEventTime(null).setSource("t").build();
        assertEquals(List.of(1.0, -1.0), shift.apply(Features.newBuilder(row).build(), 9).getTarget());
        assertEquals(List.of(3.0, 1.0), shift.apply(Features.newBuilder(row).build(), 10).getTarget());
        assertEquals(List.of(3.5, 1.5), shift.apply(Features.newBuilder(row).build(), 20).getTarget());
    }

    @Test
    @DisplayName("a drift that does not fit the records is refused in one line: images' kinds on rows, a target shift "
            + "on images, permuting a stream without classes")
    void refusesWhatDoesNotFit() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Drift.onFeatures(
                List.of(Drift.parse("5:rotate")), 0, 3)).getMessage().contains("changes images; these rows are features"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Drift.onSamples(
                List.of(Drift.parse("5:shift-target")), 0, 10)).getMessage().contains("images have classes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Drift.onFeatures(
                List.of(Drift.parse("5:permute-labels")), 0, 0)).getMessage().contains("no classes to permute"));
    }
}
