package dev.streamlearn.monitor;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Follows a monitor topic from its beginning on a thread of its own, handing each committed summary to a callback,
 * and lets the caller wait until its models have reached a given step: the one way {@code run}, {@code bench} and the
 * integration tests read a learner's summaries while it trains.
 */
public final class SummaryTail implements AutoCloseable {
    private final SummaryConsumer consumer;
    private final Thread thread;
    private final Object seen = new Object();
    private long lastStep;
    /** The last step of each model seen, by learner id and partition. */
    private final Map<String, Long> lastStepOf = new HashMap<>();
    private volatile RuntimeException failure;

    private SummaryTail(SummaryConsumer consumer, Consumer<TrainingSummary> onSummary, String threadName) {
        this.consumer = consumer;
        this.thread = new Thread(() -> {
            try {
                consumer.run(summary -> {
                    onSummary.accept(summary);
                    synchronized (seen) {
                        lastStep = Math.max(lastStep, summary.getLastStep());
                        lastStepOf.merge(summary.getApplicationId() + "#" + summary.getInputPartition(),
                                summary.getLastStep(), Math::max);
                        seen.notifyAll();
                    }
                });
            } catch (RuntimeException e) {
                failure = e;
                synchronized (seen) {
                    seen.notifyAll();
                }
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts reading the whole topic; onSummary runs on the tail's thread, in offset order. */
    public static SummaryTail follow(Properties clientProperties, Topic<Long, TrainingSummary> topic,
                                     Consumer<TrainingSummary> onSummary) {
        return new SummaryTail(new SummaryConsumer(clientProperties, topic, true), onSummary,
                "summary-tail-" + topic.name());
    }

    /**
     * Waits until summaries of as many models (a learner id and partition each: the variants of a sweep, the partitions
     * of a per-partition learner) have reached step, each of them handed to the callback.
     *
     * @return whether they had, before the timeout
     */
    public boolean awaitStep(long step, int models, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (lastStepOf.values().stream().filter(last -> last >= step).count() < models) {
                if (failure != null) {
                    throw new IllegalStateException("reading summaries failed: " + failure.getMessage(), failure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                seen.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** The largest step seen so far (0 before any summary). */
    public long lastStep() {
        synchronized (seen) {
            return lastStep;
        }
    }

    /** Stops reading, waits for the callback's thread, and closes the consumer. */
    @Override
    public void close() throws InterruptedException {
        consumer.stop();
        thread.join(10_000);
        consumer.close();
    }
}
