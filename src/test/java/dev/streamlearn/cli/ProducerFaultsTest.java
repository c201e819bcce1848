package dev.streamlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.data.MnistFetcher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProducerFaultsTest {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String err) {
    }

    private static Outcome run(String... args) {
        CommandLine commandLine = StreamlearnCommand.commandLine(Map.of(), args);
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        return new Outcome(commandLine.execute(args), err.toString());
    }

    @Test
    @DisplayName("a corrupt IDX file: one line naming the file and what is wrong, exit 2")
    void corruptIdx() throws Exception {
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 5});
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 5});
        Outcome outcome = run("produce", "--data-dir", dir.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("train-images-idx3-ubyte"), outcome.err());
    }

    @Test
    @DisplayName("a missing IDX file in a folder the user names: one line naming it, exit 2, nothing fetched")
    void missingIdx() throws Exception {
        Outcome outcome = run("produce", "--data-dir", dir.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("train-images-idx3-ubyte"), outcome.err());
        assertEquals(0, Files.list(dir).count(), "nothing written into the user's folder");
    }

    @Test
    @DisplayName("a start position past everything the run would send: one line saying so, exit 2, no broker needed")
    void startPastTheEnd() throws Exception {
        MnistFetcher.fetch(Path.of("data", "mnist"));
        Outcome outcome = run("produce", "--split", "test", "--limit", "1000", "--start-id", "1000",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("--start-id 1000 is past the last of the 1000 samples this run sends "
                + "(positions 0 to 999); nothing to send"), outcome.err());
    }

    @Test
    @DisplayName("a broker that does not answer: one line and exit 1 within the retry bound")
    void brokerDown() throws Exception {
        MnistFetcher.fetch(Path.of("data", "mnist"));
        Files.copy(Path.of("data", "mnist", "t10k-images-idx3-ubyte"), dir.resolve("t10k-images-idx3-ubyte"));
        Files.copy(Path.of("data", "mnist", "t10k-labels-idx1-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long start = System.nanoTime();
        Outcome outcome = run("produce", "--split", "test", "--data-dir", dir.toString(), "--bootstrap-servers",
                "127.0.0.1:" + closedPort, "--kafka-property", "default.api.timeout.ms=3000",
                "--kafka-property", "request.timeout.ms=2000", "--kafka-property", "max.block.ms=3000");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, outcome.exitCode(), outcome.err());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
        assertTrue(seconds < 30, "took " + seconds + " s");
    }
}
