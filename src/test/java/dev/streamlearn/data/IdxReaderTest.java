package dev.streamlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes: magic 0x0000080N, the sizes, then the data. */
    private static byte[] idx(int magic, int[] sizes, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int size : sizes) {
            out.writeInt(size);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    @Test
    @DisplayName("a well-formed image file gives its dimensions and bytes")
    void readsImages() throws IOException {
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8, (byte) 255, 0, 11, 12};
        Path file = write("images", idx(0x00000803, new int[] {3, 2, 2}, pixels));
        IdxReader.IdxArray array = IdxReader.read(file, 3);
        assertArrayEquals(new int[] {3, 2, 2}, array.dimensions());
        assertArrayEquals(pixels, array.data());
    }

    @Test
    @DisplayName("a .gz file is decompressed transparently")
    void readsGzip() throws IOException {
        byte[] labels = {7, 2, 1};
        Path file = dir.resolve("labels.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(idx(0x00000801, new int[] {3}, labels));
        }
        assertArrayEquals(labels, IdxReader.read(file, 1).data());
    }

    @Test
    @DisplayName("a wrong magic number is refused with the file name and the number found")
    void refusesBadMagic() throws IOException {
        Path file = write("bad-magic", idx(0x00000903, new int[] {1, 1, 1}, new byte[1]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file, 3));
        assertTrue(e.getMessage().contains("bad-magic") && e.getMessage().contains("0x00000903"), e.getMessage());
    }

    @Test
    @DisplayName("a file with the wrong number of dimensions is refused")
    void refusesWrongDimensions() throws IOException {
        Path file = write("labels-as-images", idx(0x00000801, new int[] {4}, new byte[4]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file, 3));
        assertTrue(e.getMessage().contains("has 1 dimensions, expected 3"), e.getMessage());
    }

    @Test
    @DisplayName("a truncated file says how many bytes it promised and how many it has")
    void refusesTruncated() throws IOException {
        Path file = write("short", idx(0x00000803, new int[] {2, 28, 28}, new byte[1000]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file, 3));
        assertTrue(e.getMessage().contains("promises 1568") && e.getMessage().contains("has 1000"), e.getMessage());
    }

    @Test
    @DisplayName("trailing bytes after the promised data are refused")
    void refusesTrailingBytes() throws IOException {
        Path file = write("long", idx(0x00000801, new int[] {2}, new byte[3]));
        assertThrows(IdxFormatException.class, () -> IdxReader.read(file, 1));
    }

    @Test
    @DisplayName("a zero or negative dimension is refused")
    void refusesEmptyDimension() throws IOException {
        Path file = write("empty", idx(0x00000803, new int[] {0, 28, 28}, new byte[0]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file, 3));
        assertTrue(e.getMessage().contains("dimension 1 is 0"), e.getMessage());
    }

    @Test
    @DisplayName("a header cut short is refused")
    void refusesShortHeader() throws IOException {
        Path file = write("stub", new byte[] {0, 0, 8});
        assertThrows(IdxFormatException.class, () -> IdxReader.read(file, 1));
    }

    @Test
    @DisplayName("a split whose label count differs from its image count is refused")
    void refusesMismatchedSplit() throws IOException {
        write("train-images-idx3-ubyte", idx(0x00000803, new int[] {2, 1, 1}, new byte[2]));
        write("train-labels-idx1-ubyte", idx(0x00000801, new int[] {3}, new byte[3]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir, Mnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("holds 3 labels but"), e.getMessage());
    }

    @Test
    @DisplayName("a split loads images and labels together")
    void loadsSplit() throws IOException {
        write("t10k-images-idx3-ubyte", idx(0x00000803, new int[] {2, 1, 2}, new byte[] {1, 2, 3, 4}));
        write("t10k-labels-idx1-ubyte", idx(0x00000801, new int[] {2}, new byte[] {9, 4}));
        Mnist test = Mnist.load(dir, Mnist.Split.TEST);
        assertEquals(2, test.count());
        assertArrayEquals(new int[] {9, 4}, test.labels());
        assertArrayEquals(new byte[] {3, 4}, test.image(1));
    }
}
