package dev.streamlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * No Docker engine runs here, so the compose file is checked as text: every service built from the project's
 * Dockerfile runs a valid streamlearn command line whose every value (flags and its mounted properties file) is
 * accepted, and every file it mounts or names exists in the repository.
 */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of("docker-compose.yml");

    @Test
    @DisplayName("every streamlearn service's command and its mounted config file are valid, and the files exist")
    void servicesAreValidInvocations() throws Exception {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).get("services");
        Set<String> built = new TreeSet<>();
        for (Map.Entry<String, JsonNode> service : iterable(services)) {
            JsonNode definition = service.getValue();
            if (!definition.has("build")) {
                continue;
            }
            built.add(service.getKey());
            assertTrue(Files.isRegularFile(Path.of(definition.get("build").asText(), "Dockerfile")));
            List<String> command = new ArrayList<>();
            definition.get("command").forEach(part -> command.add(part.asText()));
            Map<String, Path> mounts = new HashMap<>();
            if (definition.has("volumes")) {
                for (JsonNode volume : definition.get("volumes")) {
                    String[] parts = volume.asText().split(":");
                    if (parts[0].startsWith(".")) {
                        Path host = Path.of(parts[0]);
                        assertTrue(Files.isDirectory(host), service.getKey() + " mounts missing " + host);
                        mounts.put(parts[1], host);
                    }
                }
            }
            int config = command.indexOf("--config");
            if (config >= 0) {
                String inContainer = command.get(config + 1);
                String folder = inContainer.substring(0, inContainer.lastIndexOf('/'));
                Path host = mounts.get(folder);
                assertTrue(host != null && Files.isRegularFile(host.resolve(Path.of(inContainer).getFileName())),
                        service.getKey() + " reads " + inContainer + ", which no mount provides");
                // Parse as the container would see it, with the host copy of the config file.
                command.set(config + 1, host.resolve(Path.of(inContainer).getFileName()).toString());
            }
            command.add("--print-config");
            assertEquals(0, printConfig(command.toArray(String[]::new)), service.getKey() + ": " + command);
        }
        assertEquals(Set.of("learner", "learner-2", "monitor", "producer", "serve", "topics"), built);
    }

    /** Runs a command with --print-config, which validates every value, prints it and exits; returns its code. */
    private static int printConfig(String... args) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            CommandLine commandLine = StreamlearnCommand.commandLine(Map.of(), args);
            commandLine.setErr(new PrintWriter(new StringWriter()));
            return commandLine.execute(args);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    @DisplayName("a service's properties file with a bad value fails the check, as the service would")
    void badValueInAServiceFileFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("learner.properties");
        Files.writeString(file, Files.readString(Path.of("learner", "learner.properties")).replace("model=M2",
                "model=M9"));
        assertEquals(2, printConfig("learn", "--config", file.toString(), "--print-config"));
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
