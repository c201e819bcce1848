package dev.streamlearn.producer;

import dev.streamlearn.kafka.Topic;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Labels sent after their rows, as in a pipeline where the label is observed later (a click, a chargeback): each
 * row's label goes to the labels topic, keyed as the row, a seeded random delay in [0, maxDelay] after the row.
 * Each label is stamped with the time it is sent, the time it became known.
 */
public final class LateLabels implements AutoCloseable {
    /** What a stream with late labels sends: each row without its label, and the label alone. */
    public interface Rows<T> extends SampleProducer.Rows<T> {
        /** The row as it is sent before its label is known. */
        T withoutLabel(int index, int epoch);

        /** The row's label alone, encoded as the labels topic takes it. */
        byte[] label(int index);
    }

    private record Pending(long dueNanos, int index) {
    }

    private final Topic<Long, byte[]> topic;
    private final Rows<?> rows;
    private final long maxDelayNanos;
    private final SplittableRandom random;
    private final KafkaProducer<Long, byte[]> producer;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            (a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));

    LateLabels(Properties clientProperties, Rows<?> rows, Topic<Long, byte[]> topic, Duration maxDelay, long seed) {
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("label delay is " + maxDelay + ", expected >= 0");
        }
        this.topic = topic;
        this.rows = rows;
        this.maxDelayNanos = maxDelay.toNanos();
        this.random = new SplittableRandom(seed);
        this.producer = new KafkaProducer<>(SampleProducer.producerProperties(clientProperties),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Holds the label of the row just sent back until its delay has passed. */
    void schedule(int index, long nowNanos) {
        long delay = maxDelayNanos == 0 ? 0 : random.nextLong(maxDelayNanos + 1);
        pending.add(new Pending(nowNanos + delay, index));
    }

    /** Sends the labels whose time has come. */
    void sendDue(long nowNanos) {
        while (!pending.isEmpty() && pending.peek().dueNanos() <= nowNanos) {
            int index = pending.poll().index();
            producer.send(new ProducerRecord<>(topic.name(), (long) index, rows.label(index)));
        }
    }

    /** Waits for every label still held back and sends it at its time. */
    void drain() throws InterruptedException {
        while (!pending.isEmpty()) {
            long wait = pending.peek().dueNanos() - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sendDue(System.nanoTime());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
