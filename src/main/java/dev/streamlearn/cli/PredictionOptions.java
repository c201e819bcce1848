package dev.streamlearn.cli;

import dev.streamlearn.learner.Predictions;
import picocli.CommandLine.Option;

/** How a prediction is written: taken by every command that predicts (serve, and learn with --predictions). */
final class PredictionOptions {
    @Option(names = "--top-k", defaultValue = "" + Predictions.DEFAULT_TOP, paramLabel = "K",
            description = "A class prediction lists the K most probable classes, most probable first "
                    + "(default: ${DEFAULT-VALUE}).")
    int topK;

    int top() {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k is " + topK + ", expected >= 1");
        }
        return topK;
    }
}
