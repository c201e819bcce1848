package dev.streamlearn.cli;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.Partitioning;
import dev.streamlearn.model.ModelAverage;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.monitor.SummaryTail;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The figures of {@code bench --partitions P}: the aggregate samples/s of 1..P learner processes, one per partition of
 * a P-partition training topic, with the broker in a process of its own, one model per partition and one model
 * averaged over them; and what an averaging round costs, in bytes and in the time to average, by model and P.
 */
final class PartitionsBench {
    /** Epochs produced per run: enough for a warm-up epoch and a timed phase at any partition count. */
    private static final int EPOCHS = 12;
    private static final Duration PHASE = Duration.ofSeconds(10);
    /** Time for the summaries made in the phase to be committed and read. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final List<String> MODELS = List.of("M2", "M3", "M4");
    private static final int[] ROUND_PARTITIONS = {2, 4, 8};

    private final ModelConfig config;
    private final Mnist train;

    PartitionsBench(ModelConfig config, Mnist train) {
        this.config = config;
        this.train = train;
    }

    Map<String, Object> run(int partitions, List<Integer> averageEvery) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("model", config.describe());
        Path work = Files.createTempDirectory("streamlearn-bench-partitions");
        Process broker = null;
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            broker = child(work, "broker", "broker", "--kafka-dir", work.resolve("kafka").toString(), "--port",
                    String.valueOf(port));
            awaitLine(broker, work.resolve("broker.log"), "running");
            Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
            for (int p = 1; p <= partitions; p++) {
                Partitioning mode = p == 1 ? Partitioning.SINGLE : Partitioning.PER_PARTITION;
                figures.put("samplesPerSecond" + (p == 1 ? "OneLearner" : "PerPartition" + p),
                        aggregateRate(client, work, p, mode, null).samplesPerSecond());
            }
            if (partitions > 1) {
                double one = (double) figures.get("samplesPerSecondOneLearner");
                double many = (double) figures.get("samplesPerSecondPerPartition" + partitions);
                figures.put("perPartition" + partitions + "ToOne", many / one);
                for (int every : averageEvery) {
                    Rate averaged = aggregateRate(client, work, partitions, Partitioning.AVERAGED, every);
                    String run = "Averaged" + partitions + "Every" + every;
                    figures.put("samplesPerSecond" + run, averaged.samplesPerSecond());
                    figures.put("medianRoundWaitSeconds" + run, averaged.medianRoundWaitSeconds());
                    figures.put("averaged" + partitions + "Every" + every + "ToOne", averaged.samplesPerSecond() / one);
                }
            }
        } finally {
            if (broker != null) {
                broker.destroy();
                broker.waitFor(60, TimeUnit.SECONDS);
            }
            BenchCommand.deleteRecursively(work);
        }
        figures.put("roundCost", roundCosts());
        return figures;
    }

    /**
     * What P learners train per second together: P child processes on a fresh P-partition topic holding
     * {@link #EPOCHS} epochs, timed over {@link #PHASE} once every partition has trained an epoch of its share. For
     * averaged runs also the rounds' median wait.
     */
    private Rate aggregateRate(Properties client, Path work, int partitions, Partitioning mode, Integer every)
            throws Exception {
        String name = mode.flagValue() + "-" + partitions + (every == null ? "" : "-" + every);
        Topics topics = new Topics("bench-" + name + ".");
        try (TopicAdmin admin = new TopicAdmin(client)) {
            admin.createAll(topics, (short) 1, partitions);
        }
        new SampleProducer(client).produce(topics.train(), train, new ProduceOptions(0, false, 0, EPOCHS, 0, 0),
                sent -> { });
        Map<Integer, Long> steps = new ConcurrentHashMap<>();
        Map<Integer, List<long[]>> stepsAt = new ConcurrentHashMap<>();
        List<Double> waits = Collections.synchronizedList(new ArrayList<>());
        List<Process> learners = new ArrayList<>();
        try (SummaryTail tail = SummaryTail.follow(client, topics.monitor(), summary -> record(summary, steps, stepsAt,
                waits))) {
            for (int instance = 0; instance < partitions; instance++) {
                List<String> command = new ArrayList<>(List.of("learn", "--bootstrap-servers",
                        client.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), "--topic-prefix",
                        topics.prefix(), "--model", config.name(), "--evaluation-interval", "0",
                        "--partitioning", mode.flagValue(), "--application-id", "bench-" + name,
                        "--state-dir", work.resolve("streams-" + name + "-" + instance).toString()));
                if (every != null) {
                    command.addAll(List.of("--average-every", String.valueOf(every)));
                }
                learners.add(child(work, name + "-" + instance, command.toArray(String[]::new)));
            }
            awaitOnePartitionEach(client, "bench-" + name, partitions, learners, work.resolve(name + "-0.log"));
            // A learner that joins late finds the partitions with the first: the warm-up counts from now.
            Map<Integer, Long> spreadAt = new HashMap<>(steps);
            long warm = (long) train.count() / partitions;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!(steps.size() == partitions && steps.entrySet().stream().allMatch(
                    e -> e.getValue() >= spreadAt.getOrDefault(e.getKey(), 0L) + warm))) {
                if (System.nanoTime() > deadline || learners.stream().anyMatch(p -> !p.isAlive())) {
                    throw new IllegalStateException("learners " + name + " did not train an epoch: "
                            + Files.readString(work.resolve(name + "-0.log")));
                }
                Thread.sleep(50);
            }
            waits.clear();
            long start = System.currentTimeMillis();
            Thread.sleep(PHASE.toMillis());
            long end = System.currentTimeMillis();
            // Summaries are read as their transactions commit, in bursts; the time each was made places it.
            Thread.sleep(SETTLE.toMillis());
            double trained = 0;
            for (List<long[]> series : stepsAt.values()) {
                trained += stepAt(series, end) - stepAt(series, start);
            }
            double seconds = (end - start) / 1e3;
            if (steps.values().stream().anyMatch(s -> s >= (long) EPOCHS * train.count() / partitions * 9 / 10)) {
                throw new IllegalStateException("learners " + name + " neared the end of the data within the phase");
            }
            double[] sorted = waits.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Rate(trained / seconds, sorted.length == 0 ? null : sorted[sorted.length / 2]);
        } finally {
            for (Process learner : learners) {
                learner.destroy();
            }
            for (Process learner : learners) {
                learner.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until each of the P learners of a group holds one partition of the training topic. */
    private static void awaitOnePartitionEach(Properties client, String group, int partitions, List<Process> learners,
                                              Path log) throws Exception {
        try (Admin admin = Admin.create(client)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline && learners.stream().allMatch(Process::isAlive)) {
                try {
                    List<Integer> held = admin.describeConsumerGroups(List.of(group)).all().get().get(group)
                            .members().stream().map(member -> member.assignment().topicPartitions().size()).toList();
                    if (held.size() == partitions && held.stream().allMatch(count -> count == 1)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the " + partitions + " learners of " + group + " did not take a "
                    + "partition each: " + Files.readString(log));
        }
    }

    /** Samples/s of a run; for an averaged run the median time a replica waited for a round, seconds. */
    record Rate(double samplesPerSecond, Double medianRoundWaitSeconds) {
    }

    private static void record(TrainingSummary summary, Map<Integer, Long> steps, Map<Integer, List<long[]>> stepsAt,
                               List<Double> waits) {
        steps.merge(summary.getInputPartition(), summary.getLastStep(), Math::max);
        stepsAt.computeIfAbsent(summary.getInputPartition(), p -> Collections.synchronizedList(new ArrayList<>()))
                .add(new long[] {summary.getProcessedAt().toEpochMilli(), summary.getLastStep()});
        if (summary.getAveraging() != null) {
            waits.add(summary.getAveraging().getWaitSeconds());
        }
    }

    /** A partition's step count at a time, interpolated between the summaries made around it. */
    private static double stepAt(List<long[]> series, long millis) {
        synchronized (series) {
            long[] before = null;
            for (long[] point : series) {
                if (point[0] >= millis) {
                    if (before == null || point[0] == before[0]) {
                        return point[1];
                    }
                    return before[1] + (double) (point[1] - before[1]) * (millis - before[0]) / (point[0] - before[0]);
                }
                before = point;
            }
            throw new IllegalStateException("no summary made after " + millis + ": the learners stopped");
        }
    }

    /**
     * Per model and replica count: a contribution's bytes, what one round writes and reads, and the time a replica
     * takes to decode the P contributions, average them and adopt the average (median of five).
     */
    private static List<Map<String, Object>> roundCosts() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : MODELS) {
            ModelConfig model = ModelConfig.preset(name).build();
            byte[] snapshot = ModelSnapshot.write(new OnlineTrainer(model));
            for (int partitions : ROUND_PARTITIONS) {
                double[] millis = new double[5];
                for (int run = 0; run < millis.length; run++) {
                    long start = System.nanoTime();
                    List<OnlineTrainer> contributions = new ArrayList<>(partitions);
                    for (int p = 0; p < partitions; p++) {
                        contributions.add(ModelSnapshot.read(snapshot));
                    }
                    ModelAverage.of(contributions).applyTo(contributions.get(0));
                    millis[run] = (System.nanoTime() - start) / 1e6;
                }
                Arrays.sort(millis);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", name);
                row.put("partitions", partitions);
                row.put("contributionBytes", snapshot.length);
                row.put("roundWrittenBytes", (long) partitions * snapshot.length);
                row.put("roundReadBytes", (long) partitions * partitions * snapshot.length);
                row.put("averageMillis", millis[millis.length / 2]);
                rows.add(row);
            }
        }
        return rows;
    }

    /** A streamlearn child process, its output to {@code work/name.log}. */
    private static Process child(Path work, String name, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                StreamlearnCommand.class.getName()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log")
                .toFile()).start();
    }

    private static void awaitLine(Process process, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the broker did not start: " + Files.readString(log));
    }
}
