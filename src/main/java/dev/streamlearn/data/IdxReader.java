package dev.streamlearn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes (LeCun's MNIST format): a big-endian magic number 0x0000080N where N is the
 * number of dimensions, N big-endian dimension sizes, then exactly the product of the sizes in bytes. Files ending
 * in {@code .gz} are decompressed on the fly. Every check names the file and what is wrong.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** An IDX array: its dimensions and its bytes in row-major order. */
    public record IdxArray(int[] dimensions, byte[] data) {
    }

    public static IdxArray read(Path file, int expectedDimensions) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream maybeGzip = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             DataInputStream in = new DataInputStream(new BufferedInputStream(maybeGzip, 1 << 16))) {
            return read(in, file.toString(), expectedDimensions);
        }
    }

    static IdxArray read(DataInputStream in, String name, int expectedDimensions) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(name + ": too short for an IDX header");
        }
        int type = (magic >>> 8) & 0xff;
        int dimensions = magic & 0xff;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE) {
            throw new IdxFormatException(String.format("%s: magic number 0x%08x is not an IDX file of unsigned bytes "
                    + "(expected 0x%08x)", name, magic, (UNSIGNED_BYTE << 8) | expectedDimensions));
        }
        if (dimensions != expectedDimensions) {
            throw new IdxFormatException(name + ": has " + dimensions + " dimensions, expected " + expectedDimensions);
        }
        int[] sizes = new int[dimensions];
        long total = 1;
        for (int d = 0; d < dimensions; d++) {
            try {
                sizes[d] = in.readInt();
            } catch (EOFException e) {
                throw new IdxFormatException(name + ": header ends before dimension " + (d + 1));
            }
            if (sizes[d] <= 0) {
                throw new IdxFormatException(name + ": dimension " + (d + 1) + " is " + sizes[d] + ", expected > 0");
            }
            total *= sizes[d];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IdxFormatException(name + ": " + total + " bytes of data is more than this reader holds");
        }
        byte[] data = new byte[(int) total];
        int read = in.readNBytes(data, 0, data.length);
        if (read != data.length) {
            throw new IdxFormatException(name + ": truncated, header promises " + total + " data bytes, file has "
                    + read);
        }
        if (in.read() != -1) {
            throw new IdxFormatException(name + ": has bytes after the " + total + " its header promises");
        }
        return new IdxArray(sizes, data);
    }
}
