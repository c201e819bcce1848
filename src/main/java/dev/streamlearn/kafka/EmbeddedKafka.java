package dev.streamlearn.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka KRaft node (broker and controller in one) running inside this JVM, with its log on disk so
 * topics and offsets survive a restart. Single-node settings: every internal topic has one replica.
 *
 * <p>While it runs, its bootstrap address is written to {@code broker.address} in its directory, so another command
 * pointed at the same directory connects to it instead of starting a second broker.
 */
public final class EmbeddedKafka implements AutoCloseable {
    static final String ADDRESS_FILE = "broker.address";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path directory;
    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(Path directory, KafkaRaftServer server, String bootstrapServers) {
        this.directory = directory;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a node on directory, formatting the storage first when it has never been formatted.
     *
     * @param port the client port, or 0 for any free port
     */
    public static EmbeddedKafka start(Path directory, int port) {
        try {
            Files.createDirectories(directory);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Map<String, Object> properties = properties(directory, brokerPort, controllerPort);
            KafkaConfig config = new KafkaConfig(properties, false);
            if (!Files.exists(directory.resolve("meta.properties"))) {
                format(directory, config);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            Files.writeString(directory.resolve(ADDRESS_FILE), bootstrap, StandardCharsets.UTF_8);
            return new EmbeddedKafka(directory, server, bootstrap);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker in " + directory, e);
        }
    }

    /** The address of a broker already serving directory from another process, if one answers. */
    public static Optional<String> running(Path directory) {
        Path addressFile = directory.resolve(ADDRESS_FILE);
        if (!Files.isRegularFile(addressFile)) {
            return Optional.empty();
        }
        try {
            String address = Files.readString(addressFile, StandardCharsets.UTF_8).trim();
            int colon = address.lastIndexOf(':');
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.substring(0, colon),
                        Integer.parseInt(address.substring(colon + 1))), 500);
            }
            return Optional.of(address);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> properties(Path directory, int brokerPort, int controllerPort) {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", directory.toAbsolutePath().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // Model snapshots and checkpoints can exceed the 1 MB default.
        p.put("message.max.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
        return p;
    }

    private static void format(Path directory, KafkaConfig config) {
        try (PrintStream quiet = new PrintStream(PrintStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(directory.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(Optional.of(directory.toAbsolutePath().toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try {
            Files.deleteIfExists(directory.resolve(ADDRESS_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory.resolve(ADDRESS_FILE), e);
        }
    }
}
