package dev.streamlearn.cli;

import dev.streamlearn.data.IdxFormatException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code streamlearn} entry point: parses the command line and runs the chosen subcommand. Exit codes: 0 done,
 * 1 a failure at run time (Kafka unreachable, a learner that died), 2 a usage error (bad option or configuration
 * value, missing or corrupt IDX file), 130 interrupted.
 */
@Command(name = "streamlearn", mixinStandardHelpOptions = true, version = "streamlearn 0.1.0",
        description = "Online neural-network training from Kafka, one SGD step per sample, with live monitoring.",
        subcommands = {DataCommand.class, BrokerCommand.class, ProduceCommand.class, LearnCommand.class,
                MonitorCommand.class, RunCommand.class, ReplayCommand.class, ExportCommand.class, TopicsCommand.class,
                BenchCommand.class, ServeCommand.class, JoinCommand.class})
public final class StreamlearnCommand {

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The configured command line for these arguments, for main and for tests. */
    public static CommandLine commandLine(String... args) {
        return commandLine(System.getenv(), args);
    }

    /** The same, with the STREAMLEARN_* variables read from the given environment. */
    public static CommandLine commandLine(Map<String, String> environment, String... args) {
        CommandLine commandLine = new CommandLine(new StreamlearnCommand());
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            if (ModelOptions.takenBy(subcommand.getCommandSpec())) {
                ModelOptions.addFieldOptions(subcommand.getCommandSpec());
            }
        }
        commandLine.setDefaultValueProvider(new ServiceConfig(configFile(args), environment));
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println("streamlearn " + cmd.getCommandName() + ": " + oneLine(exception));
            return isUsageError(exception) ? 2 : 1;
        });
        return commandLine;
    }

    /** The value of --config, read before parsing because it decides the defaults the parser uses. */
    private static Path configFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    /** Mistakes of the person running the command (bad values, missing or corrupt input files): exit code 2. */
    private static boolean isUsageError(Throwable exception) {
        return exception instanceof IllegalArgumentException || exception instanceof IdxFormatException
                || exception instanceof NoSuchFileException;
    }

    private static String oneLine(Throwable exception) {
        String message = exception.getMessage();
        return message == null ? exception.getClass().getSimpleName() : message;
    }
}
