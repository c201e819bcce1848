package dev.streamlearn.producer;

import dev.streamlearn.avro.Label;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.SeededRandom;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends rows keyed by their index: an MNIST split as {@link Sample} records, or a user's table as {@code Features}
 * records or JSON ({@link TableRows}). Idempotent with acks=all, so a retried batch is never written twice; batched
 * (linger 20 ms, 512 KB batches, lz4) because a record is small.
 */
public final class SampleProducer {
    private final Properties clientProperties;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    public SampleProducer(Properties clientProperties) {
        this.clientProperties = clientProperties;
    }

    /** What was sent. */
    public record Result(long sent, double seconds) {
        public double samplesPerSecond() {
            return seconds > 0 ? sent / seconds : 0;
        }
    }

    public static Properties producerProperties(Properties clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64L * 1024 * 1024));
        // An unreachable cluster fails the first send after 30 s (the client retries with backoff meanwhile).
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return p;
    }

    /** Asks a running {@link #produce} to stop after the record in flight; it then flushes and returns. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** What a producer sends: how many rows there are, and each row as the record of an epoch. */
    public interface Rows<T> {
        int count();

        T record(int index, int epoch);
    }

    /** Sends the samples of an MNIST split; progress receives the count sent so far. */
    public Result produce(Topic<Long, Sample> topic, Mnist data, ProduceOptions options, LongConsumer progress) {
        return produce(topic, samples(data), options, progress);
    }

    /** An MNIST split as rows: each image a Sample, without its label (-1) until its Label follows. */
    public static LateLabels.Rows<Sample> samples(Mnist data) {
        return new LateLabels.Rows<>() {
            @Override
            public int count() {
                return data.count();
            }

            @Override
            public Sample record(int index, int epoch) {
                return sample(data, index, epoch);
            }

            @Override
            public Sample withoutLabel(int index, int epoch) {
                Sample sample = sample(data, index, epoch);
                sample.setLabel(Topics.NO_LABEL);
                return sample;
            }

            @Override
            public byte[] label(int index) {
                return Topics.LABEL_SERDE.encode(Label.newBuilder().setLabel(data.labels()[index]).build());
            }
        };
    }

    /** Sends rows keyed by their index; progress receives the count sent so far. */
    public <T> Result produce(Topic<Long, T> topic, Rows<T> rows, ProduceOptions options, LongConsumer progress) {
        return produce(topic, rows, options, (record, position) -> record, progress);
    }

    /** As above, each row changed by the drifts begun at its position in the send order. */
    public <T> Result produce(Topic<Long, T> topic, Rows<T> rows, ProduceOptions options, Drift.Applied<T> drift,
                              LongConsumer progress) {
        return send(topic, rows, null, options, drift, progress);
    }

    /**
     * Sends rows keyed by their index without their labels, and each label to the labels topic, keyed alike, a seeded
     * random delay of up to maxDelay later (the labels still held back when the rows are sent are waited for).
     */
    public <T> Result produceWithLateLabels(Topic<Long, T> topic, LateLabels.Rows<T> rows,
                                            Topic<Long, byte[]> labels, Duration maxDelay, ProduceOptions options,
                                            LongConsumer progress) {
        Rows<T> unlabelled = new Rows<>() {
            @Override
            public int count() {
                return rows.count();
            }

            @Override
            public T record(int index, int epoch) {
                return rows.withoutLabel(index, epoch);
            }
        };
        try (LateLabels late = new LateLabels(clientProperties, rows, labels, maxDelay, options.seed())) {
            return send(topic, unlabelled, late, options, (record, position) -> record, progress);
        }
    }

    private <T> Result send(Topic<Long, T> topic, Rows<T> rows, LateLabels late, ProduceOptions options,
                            Drift.Applied<T> drift, LongConsumer progress) {
        int perEpoch = options.limit() == 0 ? rows.count() : Math.min(options.limit(), rows.count());
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        long sent = 0;
        long start = System.nanoTime();
        try (KafkaProducer<Long, T> producer = new KafkaProducer<>(producerProperties(clientProperties),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int epoch = 0; epoch < options.epochs() && !stopRequested.get(); epoch++) {
                int[] order = options.shuffle() ? new SeededRandom(options.seed() + epoch).permutation(perEpoch)
                        : null;
                for (int i = 0; i < perEpoch && !stopRequested.get(); i++) {
                    long position = (long) epoch * perEpoch + i;
                    if (position < options.startId()) {
                        continue;
                    }
                    int index = order == null ? i : order[i];
                    pace(options.rate(), sent, start);
                    producer.send(new ProducerRecord<>(topic.name(), (long) index,
                                    drift.apply(rows.record(index, epoch), position)),
                            (metadata, exception) -> {
                                if (exception != null) {
                                    sendFailure.compareAndSet(null, exception);
                                }
                            });
                    sent++;
                    if (late != null) {
                        long now = System.nanoTime();
                        late.schedule(index, now);
                        late.sendDue(now);
                    }
                    if (sent % 1000 == 0) {
                        progress.accept(sent);
                        if (sendFailure.get() != null) {
                            break;
                        }
                    }
                }
            }
            producer.flush();
            if (late != null) {
                late.drain();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding labels back", e);
        }
        if (sendFailure.get() != null) {
            throw new IllegalStateException("sending to " + topic.name() + " failed: " + sendFailure.get().getMessage(),
                    sendFailure.get());
        }
        progress.accept(sent);
        return new Result(sent, (System.nanoTime() - start) / 1e9);
    }

    private static Sample sample(Mnist data, int index, int epoch) {
        return Sample.newBuilder()
                .setId(index)
                .setLabel(data.labels()[index])
                .setRows(data.rows())
                .setCols(data.cols())
                .setPixels(ByteBuffer.wrap(data.pixels(), index * data.pixelsPerImage(), data.pixelsPerImage()))
                .setDataset(data.name())
                .setEpoch(epoch)
                .setProducedAt(Instant.now())
                .build();
    }

    /** Sleeps until sample number sent is due at rate samples/s. */
    private static void pace(double rate, long sent, long startNanos) {
        if (rate <= 0) {
            return;
        }
        long due = startNanos + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
