package dev.streamlearn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code streamlearn} entry point: parses the command line and runs the chosen subcommand. */
@Command(name = "streamlearn", mixinStandardHelpOptions = true, version = "streamlearn 0.1.0",
        description = "Online neural-network training from Kafka, one SGD step per sample, with live monitoring.",
        subcommands = {DataCommand.class, BrokerCommand.class, ProduceCommand.class, LearnCommand.class,
                MonitorCommand.class, RunCommand.class, ReplayCommand.class, ExportCommand.class, BenchCommand.class})
public final class StreamlearnCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for main and for tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new StreamlearnCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println("streamlearn " + cmd.getCommandName() + ": " + oneLine(exception));
            return exception instanceof IllegalArgumentException ? 2 : 1;
        });
        return commandLine;
    }

    private static String oneLine(Throwable exception) {
        String message = exception.getMessage();
        return message == null ? exception.getClass().getSimpleName() : message;
    }
}
