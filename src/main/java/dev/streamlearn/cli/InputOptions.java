package dev.streamlearn.cli;

import dev.streamlearn.learner.InputFormat;
import picocli.CommandLine.Option;

/** How the training topic's records are written: taken by every command that trains (learn, run, replay). */
final class InputOptions {
    @Option(names = "--input-format", defaultValue = "avro", paramLabel = "avro|json",
            description = "How training records are written: avro (Sample or Features, single-object encoded) or "
                    + "json (objects such as {\"features\": [0.1, 2.0], \"label\": 3}) (default: ${DEFAULT-VALUE}).")
    String inputFormat;

    InputFormat format() {
        return InputFormat.parse(inputFormat);
    }
}
