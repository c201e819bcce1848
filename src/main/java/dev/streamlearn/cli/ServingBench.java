package dev.streamlearn.cli;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.InputFormat;
import dev.streamlearn.learner.Predictions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.monitor.SummaryTail;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import dev.streamlearn.serving.InferenceConfig;
import dev.streamlearn.serving.ModelFollower;
import dev.streamlearn.serving.PredictionServer;
import dev.streamlearn.serving.ServedModel;
import dev.streamlearn.serving.StreamingInference;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The figures of {@code bench --serving}: what predictions cost the learner, how fast one streaming-inference instance
 * predicts, and how fast HTTP answers while a learner trains in another process.
 */
final class ServingBench {
    static final int REQUESTS_PER_SECOND = 1000;
    /** Clients of the load generator: each sends every LOAD_THREADS-th request. */
    private static final int LOAD_THREADS = 4;
    /** Epochs the learner comparison and the streaming inference warm up on before the timed one. */
    private static final int WARMUP_EPOCHS = 3;
    /** Turns each of the learners with and without predictions takes. */
    private static final int LEARNER_ROUNDS = 3;
    /** Epochs the learner of the HTTP measurement has to train on: enough for M4 to outlast the phases. */
    private static final int HTTP_EPOCHS = 16;
    /** How long the HTTP measurement watches the learner without load, then with it. */
    private static final Duration PHASE = Duration.ofSeconds(8);

    private final ModelConfig config;
    private final Mnist train;

    ServingBench(ModelConfig config, Mnist train) {
        this.config = config;
        this.train = train;
    }

    Map<String, Object> run() throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("model", config.name());
        figures.put("description", config.describe());
        Path work = Files.createTempDirectory("streamlearn-bench");
        try (KafkaCluster cluster = KafkaCluster.connect(null, work.resolve("kafka"), new Properties());
             TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            Topics topics = new Topics("bench-serving.");
            admin.createAll(topics, (short) 1);
            long warmup = (long) WARMUP_EPOCHS * train.count();
            new SampleProducer(cluster.clientProperties()).produce(topics.train(), train,
                    new ProduceOptions(0, false, 0, WARMUP_EPOCHS + 1, 0, 0), sent -> { });
            // Learners with and without predictions take turns, each on its own output topics, so that both medians
            // come from the same stretch of the machine's time.
            double[] without = new double[LEARNER_ROUNDS];
            double[] with = new double[LEARNER_ROUNDS];
            for (int round = 0; round < LEARNER_ROUNDS; round++) {
                for (boolean predicting : new boolean[] {false, true}) {
                    String name = (predicting ? "with-" : "without-") + round;
                    Topics outputs = topics.withOutputPrefix("bench-" + name + ".");
                    admin.createAll(outputs, (short) 1);
                    double rate = BenchCommand.timeLearner(cluster, admin, outputs, config, warmup,
                            warmup + train.count(), work.resolve("streams-" + name),
                            predicting ? Predictions.DEFAULT_TOP : 0).lastEpoch();
                    (predicting ? with : without)[round] = rate;
                }
            }
            figures.put("learnerSamplesPerSecond", median(without));
            figures.put("learnerWithPredictionsSamplesPerSecond", median(with));
            figures.put("predictionsToWithout", median(with) / median(without));
            figures.put("streamingPredictionsPerSecond", streamingRate(cluster, admin, topics, warmup));
            figures.putAll(httpUnderLoad(cluster, admin, work));
        } finally {
            BenchCommand.deleteRecursively(work);
        }
        figures.put("peakRssMiB", BenchCommand.peakRssMiB());
        return figures;
    }

    /**
     * One streaming-inference instance on the training topic's epochs, with a model trained for one epoch: its
     * predictions/s over the last epoch, counted as they are committed.
     */
    private double streamingRate(KafkaCluster cluster, TopicAdmin admin, Topics topics, long warmup)
            throws Exception {
        OnlineTrainer trainer = new OnlineTrainer(config);
        for (int i = 0; i < train.count(); i++) {
            trainer.step(train.image(i), train.labels()[i]);
        }
        ServedModel model = new ServedModel("bench", trainer.updates(), Instant.now(), trainer.network());
        InferenceConfig inference = new InferenceConfig("bench-inference", topics.train().name(), InputFormat.AVRO,
                "bench.predictions", "bench.predictions.dlq", Predictions.DEFAULT_TOP);
        admin.createIfMissing(inference.predictionsTopic(), 1, (short) 1);
        admin.createIfMissing(inference.deadLetterTopic(), 1, (short) 1);
        long total = warmup + train.count();
        Properties p = new Properties();
        p.putAll(cluster.clientProperties());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(inference.predictionsTopic(), 0);
        try (StreamingInference streaming = new StreamingInference(cluster.clientProperties(), inference,
                key -> Optional.of(model));
             KafkaConsumer<byte[], byte[]> predictions = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            predictions.assign(List.of(partition));
            predictions.seekToBeginning(List.of(partition));
            streaming.start();
            long count = 0;
            long warmedAt = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (count < total && System.nanoTime() < deadline && streaming.failure() == null) {
                count += predictions.poll(Duration.ofMillis(100)).count();
                if (warmedAt == 0 && count >= warmup) {
                    warmedAt = System.nanoTime();
                }
            }
            if (count < total) {
                throw new IllegalStateException("streaming inference made " + count + " of " + total
                        + " predictions: " + streaming.failure());
            }
            return train.count() / ((System.nanoTime() - warmedAt) / 1e9);
        }
    }

    /**
     * A learner in a child process trains; this process follows its versions and serves them over HTTP. The learner's
     * samples/s is watched for a phase without requests and a phase with {@link #REQUESTS_PER_SECOND} requests/s of
     * one image each (after a phase of the same load to warm the server up); then, the learner stopped, the same load
     * once more: what serving costs on its own.
     */
    private Map<String, Object> httpUnderLoad(KafkaCluster cluster, TopicAdmin admin, Path work) throws Exception {
        Topics topics = new Topics("bench-http.");
        admin.createAll(topics, (short) 1);
        new SampleProducer(cluster.clientProperties()).produce(topics.train(), train,
                new ProduceOptions(0, false, 0, HTTP_EPOCHS, 0, 0), sent -> { });
        List<TrainingSummary> summaries = Collections.synchronizedList(new ArrayList<>());
        Process learner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                StreamlearnCommand.class.getName(), "learn", "--bootstrap-servers", cluster.bootstrapServers(),
                "--topic-prefix", topics.prefix(), "--model", config.name(), "--evaluation-interval", "0",
                "--state-dir", work.resolve("streams-http").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("learner.log").toFile()).start();
        Map<String, Object> figures = new LinkedHashMap<>();
        try (SummaryTail tail = SummaryTail.follow(cluster.clientProperties(), topics.monitor(), summaries::add);
             ModelFollower follower = new ModelFollower(cluster.clientProperties(), topics.models(), null, -1, 1);
             PredictionServer server = PredictionServer.start(new InetSocketAddress("127.0.0.1", 0), follower)) {
            if (!tail.awaitStep(train.count(), 1, Duration.ofMinutes(3))) {
                throw new IllegalStateException("the learner did not train an epoch within 3 minutes: "
                        + Files.readString(work.resolve("learner.log")));
            }
            // A server runs for long: its JIT compilation and first collections are not what a request waits for.
            load(server.uri().resolve("/predict"), follower);
            Instant quietStart = Instant.now();
            Thread.sleep(PHASE.toMillis());
            Instant loadStart = Instant.now();
            Load load = load(server.uri().resolve("/predict"), follower);
            Instant loadEnd = Instant.now();
            double quiet = rate(summaries, quietStart, loadStart);
            double loaded = rate(summaries, loadStart, loadEnd);
            if (tail.lastStep() >= (long) HTTP_EPOCHS * train.count()) {
                figures.put("note", "the learner trained all " + HTTP_EPOCHS + " epochs before the load phase "
                        + "ended: its rates cover part of the phases only (a model this fast needs more data)");
            }
            List<Long> latencies = new ArrayList<>(load.latencies());
            Collections.sort(latencies);
            List<Long> ages = new ArrayList<>(load.ages());
            Collections.sort(ages);
            figures.put("httpRequestsPerSecond", latencies.size() / (PHASE.toNanos() / 1e9));
            figures.put("httpP50Millis", percentile(latencies, 0.50) / 1e6);
            figures.put("httpP99Millis", percentile(latencies, 0.99) / 1e6);
            figures.put("httpFailures", load.failures());
            figures.put("learnerQuietSamplesPerSecond", quiet);
            figures.put("learnerUnderLoadSamplesPerSecond", loaded);
            figures.put("learnerDropPercent", 100 * (1 - loaded / quiet));
            figures.put("modelAgeP99Millis", percentile(ages, 0.99) / 1e6);
            learner.destroy();
            learner.waitFor(30, TimeUnit.SECONDS);
            List<Long> alone = new ArrayList<>(load(server.uri().resolve("/predict"), follower).latencies());
            Collections.sort(alone);
            figures.put("httpWithoutLearnerP50Millis", percentile(alone, 0.50) / 1e6);
            figures.put("httpWithoutLearnerP99Millis", percentile(alone, 0.99) / 1e6);
        } finally {
            learner.destroy();
            learner.waitFor(30, TimeUnit.SECONDS);
        }
        return figures;
    }

    private record Load(List<Long> latencies, List<Long> ages, long failures) {
    }

    /**
     * Sends one image per request for a phase, on schedule from {@link #LOAD_THREADS} clients taking turns, each on its
     * own kept-alive connection. A latency counts from when its request was due, so a late answer also charges the
     * requests it held up. Latencies and the served versions' ages, in nanoseconds.
     */
    private Load load(URI predict, ModelFollower follower) throws InterruptedException {
        StringBuilder body = new StringBuilder("{\"pixels\": [");
        byte[] image = train.image(0);
        for (int i = 0; i < image.length; i++) {
            body.append(i == 0 ? "" : ",").append(image[i] & 0xff);
        }
        byte[] json = body.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = ("POST " + predict.getPath() + " HTTP/1.1\r\nHost: " + predict.getHost() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] message = Arrays.copyOf(request, request.length + json.length);
        System.arraycopy(json, 0, message, request.length, json.length);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> ages = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long requests = PHASE.toSeconds() * REQUESTS_PER_SECOND;
        long interval = TimeUnit.SECONDS.toNanos(1) / REQUESTS_PER_SECOND;
        long start = System.nanoTime();
        List<Thread> clients = new ArrayList<>();
        for (int k = 0; k < LOAD_THREADS; k++) {
            int first = k;
            Thread thread = new Thread(() -> {
                try (Socket socket = new Socket(predict.getHost(), predict.getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    for (long i = first; i < requests; i += LOAD_THREADS) {
                        long due = start + i * interval;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(message);
                        out.flush();
                        if (readResponse(in) != 200) {
                            failures.incrementAndGet();
                            continue;
                        }
                        latencies.add(System.nanoTime() - due);
                        follower.current().ifPresent(version -> ages.add(Duration.between(version.publishedAt(),
                                Instant.now()).toNanos()));
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
            }, "load-" + k);
            thread.start();
            clients.add(thread);
        }
        for (Thread thread : clients) {
            thread.join();
        }
        return new Load(new ArrayList<>(latencies), new ArrayList<>(ages), failures.get());
    }

    /**
     * Reads one HTTP/1.1 response with a Content-Length and returns its status. The load generator speaks HTTP on a
     * socket of its own because the JDK's client spends more CPU per request than the server it measures, on the same
     * two cores.
     */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        int length = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            String header = line.toString().trim();
            line.setLength(0);
            if (status < 0) {
                status = Integer.parseInt(header.split(" ")[1]);
            } else if (header.isEmpty()) {
                break;
            } else if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    /** The learner's samples/s over the summaries made between from and to. */
    private static double rate(List<TrainingSummary> summaries, Instant from, Instant to) {
        double steps = 0;
        double seconds = 0;
        synchronized (summaries) {
            for (TrainingSummary summary : summaries) {
                if (!summary.getProcessedAt().isBefore(from) && summary.getProcessedAt().isBefore(to)) {
                    long count = summary.getLastStep() - summary.getFirstStep() + 1;
                    steps += count;
                    seconds += count / summary.getSamplesPerSecond();
                }
            }
        }
        return steps / seconds;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double percentile(List<Long> sorted, double fraction) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(fraction * sorted.size())));
    }
}
