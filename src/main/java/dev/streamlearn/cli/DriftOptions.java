package dev.streamlearn.cli;

import dev.streamlearn.learner.DriftResponse;
import picocli.CommandLine.Option;

/**
 * What a learner does on a concept drift: taken by every command that trains (learn, run, replay), so a replay responds
 * as the run it replays did.
 */
final class DriftOptions {
    @Option(names = "--on-drift", defaultValue = "nothing", paramLabel = "nothing|reset-optimiser|boost-lr:F:STEPS",
            description = "What to do when the drift detector (Page-Hinkley on the prequential error) signals a "
                    + "change, besides the concept-drift alert: nothing, reset the optimiser's state, or multiply the "
                    + "learning rate by F for STEPS steps (default: ${DEFAULT-VALUE}).")
    String onDrift;

    DriftResponse response() {
        return DriftResponse.parse(onDrift);
    }
}
