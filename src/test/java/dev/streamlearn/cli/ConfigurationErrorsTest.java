package dev.streamlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Configuration mistakes end in one line naming the key, the value and what is allowed, with exit code 2. */
class ConfigurationErrorsTest {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String err, String out) {
    }

    private Outcome run(Map<String, String> environment, String... args) {
        CommandLine commandLine = StreamlearnCommand.commandLine(environment, args);
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        StringWriter usage = new StringWriter();
        commandLine.setOut(new PrintWriter(usage, true));
        try {
            int code = commandLine.execute(args);
            return new Outcome(code, err.toString(), usage + out.toString());
        } finally {
            System.setOut(original);
        }
    }

    private Path file(String content) throws Exception {
        Path file = dir.resolve("learner.properties");
        Files.writeString(file, content);
        return file;
    }

    @Test
    @DisplayName("an unknown key in the properties file names the file, the key and the allowed keys")
    void unknownKey() throws Exception {
        Outcome outcome = run(Map.of(), "learn", "--config", file("lrr=0.1\n").toString(), "--print-config");
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().contains("unknown key 'lrr'") && outcome.err().contains("lr,"), outcome.err());
    }

    @Test
    @DisplayName("a model whose snapshot cannot fit in a Kafka record is refused at start, naming its size and the limit")
    void modelTooLargeForOneRecord() {
        Outcome outcome = run(Map.of(), "learn", "--layers", "784-8192-2048-10", "--optimizer", "adam",
                "--print-config");
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("its checkpoint (model, optimiser state and learner state) would be "
                + "266.9 MiB, over the 64.0 MiB a Kafka record holds"), outcome.err());
    }

    @Test
    @DisplayName("a malformed CSV row ends produce before it connects, in one line naming file, line and fault")
    void malformedCsvRow() throws Exception {
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,x,1\n");
        Outcome outcome = run(Map.of(), "produce", "--csv", csv.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertEquals("streamlearn produce: " + csv + ":3: column 'b' is 'x', expected a number", outcome.err().strip());
    }

    @Test
    @DisplayName("a publish interval without a unit is refused naming the option and what it takes")
    void publishIntervalNeedsAUnit() {
        Outcome outcome = run(Map.of(), "learn", "--publish-every", "5", "--print-config");
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertEquals("streamlearn learn: --publish-every is '5', expected a duration such as 500ms, 1s or 2m, or 0",
                outcome.err().strip());
    }

    @Test
    @DisplayName("a value of the wrong type names the option and the value")
    void badValue() {
        Outcome outcome = run(Map.of(), "bench", "--lr", "fast");
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().contains("--lr is 'fast', expected a number"), outcome.err());
    }

    @Test
    @DisplayName("an out-of-range hyperparameter from the environment is one line with the allowed range")
    void outOfRange() {
        Outcome outcome = run(Map.of("STREAMLEARN_MOMENTUM", "1.5"), "bench", "--optimizer", "momentum");
        assertEquals(2, outcome.exitCode());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("momentum is 1.5, expected a number in [0, 1)"), outcome.err());
    }

    @Test
    @DisplayName("a binary digit outside 0-9 and initialiser bounds a float cannot hold are refused in one line, exit 2")
    void impossibleModelValues() {
        Outcome digit = run(Map.of(), "bench", "--model", "M1", "--binary-digit", "12");
        assertEquals(2, digit.exitCode());
        assertEquals(1, digit.err().strip().lines().count(), digit.err());
        assertTrue(digit.err().contains("binary-digit (the positive class of loss sigmoid-cross-entropy) is 12, "
                + "expected a digit 0-9"), digit.err());
        Outcome infinite = run(Map.of(), "bench", "--init", "uniform:-1e309:0");
        assertEquals(2, infinite.exitCode());
        assertTrue(infinite.err().contains("uniform init low is -Infinity"), infinite.err());
        Outcome overflow = run(Map.of(), "bench", "--bias-init", "constant:1e39");
        assertEquals(2, overflow.exitCode());
        assertTrue(overflow.err().contains("constant init is 1.0E39"), overflow.err());
    }

    @Test
    @DisplayName("a report path that --export would overwrite with the model config is refused before any work")
    void reportCollidesWithExportConfig() {
        Path report = dir.resolve("r.json");
        Outcome outcome = run(Map.of(), "run", "--report", report.toString(), "--export",
                dir.resolve("r.npz").toString());
        assertEquals(2, outcome.exitCode());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("is the file --export " + dir.resolve("r.npz") + " writes the model config "
                + "to; give the report another name"), outcome.err());
    }

    @Test
    @DisplayName("a hyperparameter the chosen optimiser does not take is refused in one line naming what it takes")
    void unusedHyperparameterFlag() {
        Outcome outcome = run(Map.of(), "bench", "--optimizer", "sgd", "--weight-decay", "0.01");
        assertEquals(2, outcome.exitCode());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("--weight-decay is not a hyperparameter of sgd, which takes only --lr"),
                outcome.err());
    }

    @Test
    @DisplayName("a hyperparameter from the properties file that the optimiser does not take is refused too")
    void unusedHyperparameterKey() throws Exception {
        Outcome outcome = run(Map.of(), "learn", "--config", file("optimizer=adam\nmomentum=0.9\n").toString(),
                "--print-config");
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().contains("--momentum is not a hyperparameter of adam, which takes --lr and --beta1, "
                + "--beta2, --epsilon"), outcome.err());
    }

    @Test
    @DisplayName("a hyperparameter the chosen optimiser takes is accepted")
    void usedHyperparameter() {
        Outcome outcome = run(Map.of(), "learn", "--optimizer", "adamw", "--weight-decay", "0.01",
                "--print-config");
        assertEquals(0, outcome.exitCode(), outcome.err());
    }

    @Test
    @DisplayName("--print-config shows file, environment and flag values in that precedence, secrets masked")
    void printConfig() throws Exception {
        Path config = file("lr=0.5\nseed=3\nmodel=M3\nkafka.sasl.jaas.config=org.Login required password=\"hunter2\";\n"
                + "kafka.security.protocol=SASL_SSL\n");
        Outcome outcome = run(Map.of("STREAMLEARN_SEED", "9"), "learn", "--config", config.toString(), "--model", "M4",
                "--print-config");
        assertEquals(0, outcome.exitCode(), outcome.err());
        assertTrue(outcome.out().contains("lr=0.5\n"), outcome.out());
        assertTrue(outcome.out().contains("seed=9\n"), outcome.out());
        assertTrue(outcome.out().contains("model=M4\n"), outcome.out());
        assertTrue(outcome.out().contains("kafka.security.protocol=SASL_SSL"), outcome.out());
        assertTrue(outcome.out().contains("kafka.sasl.jaas.config=****"), outcome.out());
        assertFalse(outcome.out().contains("hunter2"), outcome.out());
    }

    @Test
    @DisplayName("--print-config masks PEM keys and certificates and every other key Kafka types as a password")
    void printConfigMasksPem() throws Exception {
        Path config = file("kafka.ssl.keystore.key=-----BEGIN PRIVATE KEY-----MIIEv\n"
                + "kafka.ssl.keystore.certificate.chain=-----BEGIN CERTIFICATE-----MIIDd\n"
                + "kafka.ssl.truststore.certificates=-----BEGIN CERTIFICATE-----MIIDe\n"
                + "kafka.producer.ssl.key.password=pw1\nkafka.ssl.keystore.location=/etc/kafka/keystore.jks\n");
        Outcome outcome = run(Map.of(), "learn", "--config", config.toString(), "--print-config");
        assertEquals(0, outcome.exitCode(), outcome.err());
        for (String key : List.of("ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
                "producer.ssl.key.password")) {
            assertTrue(outcome.out().contains("kafka." + key + "=****\n"), outcome.out());
        }
        assertFalse(outcome.out().contains("MII") || outcome.out().contains("pw1"), outcome.out());
        assertTrue(outcome.out().contains("kafka.ssl.keystore.location=/etc/kafka/keystore.jks"), outcome.out());
    }

    @Test
    @DisplayName("serve, join and learn --predictions: a half-given stream, an empty window or no classes to list "
            + "is one line and exit 2, before any broker is reached")
    void servingAndJoining() {
        Outcome half = run(Map.of(), "serve", "--from-topic", "features", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, half.exitCode());
        assertTrue(half.err().contains("--from-topic and --to-topic go together: give both or neither"), half.err());
        Outcome window = run(Map.of(), "join", "--features", "f", "--labels", "l", "--within", "0",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, window.exitCode());
        assertTrue(window.err().contains("--within is '0', expected a duration > 0"), window.err());
        Outcome same = run(Map.of(), "join", "--features", "f", "--labels", "f", "--within", "5s",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, same.exitCode());
        assertTrue(same.err().contains("features and labels come from one topic, f"), same.err());
        Outcome top = run(Map.of(), "learn", "--predictions", "--top-k", "0", "--print-config");
        assertEquals(2, top.exitCode());
        assertTrue(top.err().contains("--top-k is 0, expected >= 1"), top.err());
    }

    @Test
    @DisplayName("learn --partitioning: an unknown mode, one report for several models, averaging without its "
            + "interval, an interval without averaging or of 0 records: one line and exit 2")
    void partitioning() {
        Outcome unknown = run(Map.of(), "learn", "--partitioning", "sharded", "--print-config");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("--partitioning is 'sharded', expected single, per-partition or averaged"),
                unknown.err());
        Outcome report = run(Map.of(), "learn", "--partitioning", "per-partition", "--report", "r.json",
                "--print-config");
        assertEquals(2, report.exitCode());
        assertTrue(report.err().contains("--report describes a learner holding one model; with --partitioning "
                + "per-partition"), report.err());
        Outcome noInterval = run(Map.of(), "learn", "--partitioning", "averaged", "--print-config");
        assertEquals(2, noInterval.exitCode());
        assertTrue(noInterval.err().contains("--partitioning averaged needs --average-every K"), noInterval.err());
        Outcome intervalAlone = run(Map.of(), "learn", "--average-every", "100", "--print-config");
        assertEquals(2, intervalAlone.exitCode());
        assertTrue(intervalAlone.err().contains("--average-every goes with --partitioning averaged, not single"),
                intervalAlone.err());
        Outcome zero = run(Map.of(), "learn", "--partitioning", "averaged", "--average-every", "0", "--print-config");
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("--average-every is 0, expected > 0"), zero.err());
        Outcome simulation = run(Map.of(), "bench", "--simulate-partitions", "2,0");
        assertEquals(2, simulation.exitCode());
        assertTrue(simulation.err().contains("--simulate-partitions holds 0, expected > 0"), simulation.err());
    }

    @Test
    @DisplayName("--sweep: an unknown field, a single value, a bad value, a sweep on bench (which measures one model), "
            + "from a checkpoint, and with averaging: one line and exit 2")
    void sweeps() {
        Outcome unknown = run(Map.of(), "learn", "--sweep", "speed=1,2", "--print-config");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("--sweep speed=1,2: no model flag --speed"), unknown.err());
        Outcome single = run(Map.of(), "learn", "--sweep", "lr=0.1", "--print-config");
        assertEquals(2, single.exitCode());
        assertTrue(single.err().contains("expected lr=V1,V2,... (two values or more)"), single.err());
        Outcome bad = run(Map.of(), "learn", "--sweep", "lr=0.1,fast", "--print-config");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("fast"), bad.err());
        Outcome onBench = run(Map.of(), "bench", "--sweep", "lr=0.1,0.01");
        Outcome replayCheckpoint = run(Map.of(), "replay", "--sweep", "lr=0.1,0.01", "--from-checkpoint", "latest",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, replayCheckpoint.exitCode());
        assertTrue(replayCheckpoint.err().contains("--sweep replays fresh variants from an offset or a time"),
                replayCheckpoint.err());
        assertEquals(2, onBench.exitCode());
        assertTrue(onBench.err().contains("--sweep: bench trains one model; learn, run and replay train a sweep"),
                onBench.err());
        Outcome averaged = run(Map.of(), "learn", "--sweep", "lr=0.1,0.01", "--partitioning", "averaged",
                "--average-every", "100", "--print-config");
        assertEquals(2, averaged.exitCode());
        assertTrue(averaged.err().contains("does not go with --partitioning averaged"), averaged.err());
    }

    @Test
    @DisplayName("every command lists itself in --help, and each has its own --help")
    void help() {
        java.util.Set<String> commands = StreamlearnCommand.commandLine().getSubcommands().keySet();
        assertEquals(java.util.Set.of("data", "broker", "produce", "learn", "monitor", "run", "replay", "export",
                "topics", "bench", "serve", "join"), commands);
        assertEquals(0, run(Map.of(), "--help").exitCode());
        for (String command : commands) {
            assertEquals(0, run(Map.of(), command, "--help").exitCode(), command);
        }
    }
}
