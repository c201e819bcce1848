package dev.streamlearn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One split of an MNIST-format data set (MNIST, Fashion-MNIST, ...): images as unsigned bytes, sample after sample,
 * and their labels. Loaded from the four standard file names, raw or {@code .gz}.
 */
public record Mnist(String name, int rows, int cols, byte[] pixels, int[] labels) {

    /** The two splits and their file-name prefixes. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String filePrefix;

        Split(String filePrefix) {
            this.filePrefix = filePrefix;
        }

        public String imagesFile() {
            return filePrefix + "-images-idx3-ubyte";
        }

        public String labelsFile() {
            return filePrefix + "-labels-idx1-ubyte";
        }

        public String datasetName() {
            return "mnist-" + name().toLowerCase(Locale.ROOT);
        }

        public static Split parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown split '" + text + "', expected train or test", e);
            }
        }
    }

    public int count() {
        return labels.length;
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** The pixels of sample i (a copy). */
    public byte[] image(int i) {
        byte[] image = new byte[pixelsPerImage()];
        System.arraycopy(pixels, i * pixelsPerImage(), image, 0, image.length);
        return image;
    }

    /** Whether dir holds both files of the split, raw or gzipped. */
    public static boolean present(Path dir, Split split) {
        return find(dir, split.imagesFile()) != null && find(dir, split.labelsFile()) != null;
    }

    public static Mnist load(Path dir, Split split) throws IOException {
        Path imagesPath = require(dir, split.imagesFile());
        Path labelsPath = require(dir, split.labelsFile());
        IdxReader.IdxArray images = IdxReader.read(imagesPath, 3);
        IdxReader.IdxArray labels = IdxReader.read(labelsPath, 1);
        int count = images.dimensions()[0];
        if (labels.dimensions()[0] != count) {
            throw new IdxFormatException(labelsPath + ": holds " + labels.dimensions()[0] + " labels but "
                    + imagesPath + " holds " + count + " images");
        }
        int[] labelValues = new int[count];
        for (int i = 0; i < count; i++) {
            labelValues[i] = labels.data()[i] & 0xff;
        }
        return new Mnist(split.datasetName(), images.dimensions()[1], images.dimensions()[2], images.data(),
                labelValues);
    }

    private static Path require(Path dir, String baseName) throws IOException {
        Path found = find(dir, baseName);
        if (found == null) {
            throw new java.nio.file.NoSuchFileException(dir.resolve(baseName) + " (nor " + baseName
                    + ".gz): run 'streamlearn data fetch' or point --data-dir at a folder holding the four IDX files");
        }
        return found;
    }

    private static Path find(Path dir, String baseName) {
        for (String candidate : new String[] {baseName, baseName + ".gz"}) {
            Path path = dir.resolve(candidate);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        return null;
    }
}
