package dev.streamlearn.cli;

import dev.streamlearn.diagnosis.Scenario;
import dev.streamlearn.learner.Variant;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelField;
import dev.streamlearn.model.Objective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    @Option(names = "--sweep", paramLabel = "FIELD=V1,V2,...", description = "Train one variant of the model per "
            + "value, each on every record in turn (repeatable: the cartesian product), e.g. --sweep lr=0.5,0.01 "
            + "--sweep init=he-normal,xavier-uniform; FIELD is any model flag without its dashes.")
    List<String> sweep = List.of();

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
        return builder().build();
    }

    /**
     * The variants {@code --sweep} names, in the order given (the last sweep varying fastest), each the configuration
     * with its values applied last; without a sweep, the one model.
     */
    List<Variant> variants() {
        if (sweep.isEmpty()) {
            return List.of(Variant.only(toConfig()));
        }
        List<List<Setting>> combinations = List.of(List.of());
        for (String text : sweep) {
            int equals = text.indexOf('=');
            String name = equals < 0 ? text : text.substring(0, equals).trim();
            ModelField field = Arrays.stream(ModelField.values()).filter(f -> f.flag().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--sweep " + text + ": no model flag --" + name));
            List<String> values = equals < 0 ? List.of() : Arrays.stream(text.substring(equals + 1).split(","))
                    .map(String::trim).filter(value -> !value.isEmpty()).toList();
            if (values.size() < 2) {
                throw new IllegalArgumentException("--sweep " + text + ": expected " + name + "=V1,V2,... (two values "
                        + "or more)");
            }
            List<List<Setting>> next = new ArrayList<>();
            for (List<Setting> combination : combinations) {
                for (String value : values) {
                    List<Setting> extended = new ArrayList<>(combination);
                    extended.add(new Setting(field, value));
                    next.add(extended);
                }
            }
            combinations = next;
        }
        List<Variant> variants = new ArrayList<>();
        for (List<Setting> combination : combinations) {
            ModelConfig.Builder builder = builder();
            StringBuilder name = new StringBuilder();
            for (Setting setting : combination) {
                setting.field().apply(builder, setting.value());
                name.append(name.length() == 0 ? "" : ",").append(setting.field().flag()).append('=')
                        .append(setting.value());
            }
            variants.add(new Variant(name.toString(), builder.build()));
        }
        return variants;
    }

    /** One value of a swept field. */
    private record Setting(ModelField field, String value) {
    }

    /** For bench, which measures one model: a sweep is refused in one line rather than quietly ignored. */
    void requireNoSweep(String command) {
        if (!sweep.isEmpty()) {
            throw new IllegalArgumentException("--sweep: " + command + " trains one model; learn, run and replay train a sweep");
        }
    }

    private ModelConfig.Builder builder() {
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
        return builder;
    }
}
