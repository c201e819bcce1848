package dev.streamlearn.cli;

import dev.streamlearn.diagnosis.Scenario;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelField;
import dev.streamlearn.model.Objective;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The model flags every training command takes: a preset (or a scenario), then any field overridden. There is one
 * option per {@link ModelField}, added to each command from that table ({@link #addFieldOptions}), so a field's flag,
 * its properties key and its line in {@code --print-config} are written once.
 */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "M1|M2|M3|M4", defaultValue = "M2",
            description = "Preset: M1 logistic 7-vs-rest, M2 softmax 784-10, M3 784-128-10 ReLU, "
                    + "M4 784-256-256-10 tanh (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--scenario", paramLabel = "NAME", description = "A broken set-up to diagnose, instead of a "
            + "preset: seed000-double-sigmoid, seed001-deep-tanh, seed004-deep-relu-tiny-init, seed004-identity, "
            + "high-lr.")
    String scenario;

    @Option(names = "--init-from", paramLabel = "FILE.npz", description = "Start from exported weights.")
    Path initFrom;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Adds one option per model field to a command that mixes these options in. */
    static void addFieldOptions(CommandSpec command) {
        for (ModelField field : ModelField.values()) {
            OptionSpec.Builder option = OptionSpec.builder(flag(field)).paramLabel(field.paramLabel())
                    .description(field.description()).type(String.class);
            if (field.isSwitch()) {
                option.arity("0..1").fallbackValue("true");
            }
            command.addOption(option.build());
        }
    }

    /** Whether a command mixes these options in. */
    static boolean takenBy(CommandSpec command) {
        return command.mixins().values().stream().anyMatch(mixin -> mixin.userObject() instanceof ModelOptions);
    }

    private static String flag(ModelField field) {
        return "--" + field.flag();
    }

    /** The text given for a field (by flag, environment or properties file), or null. */
    private String given(ModelField field) {
        return command.findOption(flag(field)).getValue();
    }

    /** The synthetic stream the chosen scenario trains on, or null for MNIST. */
    String syntheticStream() {
        return scenario == null ? null : Scenario.parse(scenario).syntheticStream();
    }

    /**
     * Builds the configuration: the preset, then each field given, parsed by its field. A binary digit given without
     * a loss implies a sigmoid head; a hyperparameter the chosen optimiser does not take is refused.
     */
    ModelConfig toConfig() {
        ModelConfig.Builder builder = scenario != null ? Scenario.parse(scenario).config() : ModelConfig.preset(preset);
        for (ModelField field : ModelField.values()) {
            String text = given(field);
            if (text != null) {
                field.apply(builder, text);
            }
        }
        if (given(ModelField.BINARY_DIGIT) != null && given(ModelField.LOSS) == null) {
            builder.loss(Objective.SIGMOID_CROSS_ENTROPY);
        }
        return builder.build();
    }
}
