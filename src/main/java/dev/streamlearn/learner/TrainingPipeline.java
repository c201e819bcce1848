package dev.streamlearn.learner;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link RecordTrainer} on a thread of its own, so the stream thread's share of each record (polling, Kafka
 * Streams' bookkeeping, sending outputs, committing) overlaps the SGD steps instead of adding to them. Records go
 * in through a bounded ring, in order, from one feeding thread; what they produced comes back, in order, through
 * {@link #pollEmission()}.
 *
 * <p>The ring holds references only (the record's own byte arrays). A full ring blocks the feeder until it is half
 * empty, and an empty ring lets the trainer spin briefly before it parks, so threads wake each other about once per
 * half ring rather than once per record: a wake-up costs microseconds, as much as a small model's step.
 */
final class TrainingPipeline implements AutoCloseable {
    /** Records in flight at most: 35 ms of M4 steps, references only. A power of two. */
    static final int CAPACITY = 1024;
    /** How long an idle trainer polls for the next record before parking: longer than the feeder's gap per record. */
    private static final long SPIN_NANOS = 50_000;

    private final RecordTrainer trainer;
    private final byte[][] keys = new byte[CAPACITY][];
    private final byte[][] values = new byte[CAPACITY][];
    private final String[] topics = new String[CAPACITY];
    private final int[] partitions = new int[CAPACITY];
    private final long[] offsets = new long[CAPACITY];
    private final long[] timestamps = new long[CAPACITY];
    private final boolean[] emits = new boolean[CAPACITY];
    /** Records handed in so far; written by the feeder only. */
    private final AtomicLong submitted = new AtomicLong();
    /** Records trained so far, their emissions already queued; written by the trainer only. */
    private final AtomicLong trained = new AtomicLong();
    private final ConcurrentLinkedQueue<RecordTrainer.Emission> emissions = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean trainerParked;
    private volatile Thread waitingFeeder;
    private volatile long awaitedTrained;
    private volatile boolean closing;
    private volatile Throwable failure;

    TrainingPipeline(RecordTrainer trainer, String threadName) {
        this.trainer = trainer;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one record for training; blocks while the ring is full. */
    void submit(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp, boolean emit) {
        rethrowFailure();
        long next = submitted.get();
        if (next - trained.get() == CAPACITY) {
            awaitTrained(next - CAPACITY / 2);
        }
        int slot = (int) (next & (CAPACITY - 1));
        keys[slot] = key;
        values[slot] = value;
        topics[slot] = topic;
        partitions[slot] = partition;
        offsets[slot] = offset;
        timestamps[slot] = timestamp;
        emits[slot] = emit;
        submitted.set(next + 1);
        if (trainerParked) {
            LockSupport.unpark(thread);
        }
    }

    /** The oldest emission not yet taken, or null. */
    RecordTrainer.Emission pollEmission() {
        rethrowFailure();
        return emissions.poll();
    }

    /** Blocks until every submitted record is trained and its emission queued. */
    void awaitIdle() {
        awaitTrained(submitted.get());
    }

    private void awaitTrained(long target) {
        awaitedTrained = target;
        waitingFeeder = Thread.currentThread();
        try {
            while (trained.get() < target) {
                rethrowFailure();
                LockSupport.park(this);
            }
        } finally {
            waitingFeeder = null;
        }
        rethrowFailure();
    }

    private void rethrowFailure() {
        Throwable cause = failure;
        if (cause != null) {
            throw new IllegalStateException("the training thread " + thread.getName() + " failed: " + cause, cause);
        }
    }

    private void run() {
        try {
            long next = 0;
            while (true) {
                long available = awaitSubmitted(next);
                if (available < 0) {
                    return;
                }
                for (; next < available; next++) {
                    int slot = (int) (next & (CAPACITY - 1));
                    RecordTrainer.Emission emission = trainer.train(keys[slot], values[slot], topics[slot],
                            partitions[slot], offsets[slot], timestamps[slot], emits[slot]);
                    keys[slot] = null;
                    values[slot] = null;
                    if (emission != null) {
                        emissions.add(emission);
                    }
                    trained.set(next + 1);
                    Thread feeder = waitingFeeder;
                    if (feeder != null && next + 1 >= awaitedTrained) {
                        LockSupport.unpark(feeder);
                    }
                }
            }
        } catch (Throwable e) {
            failure = e;
            Thread feeder = waitingFeeder;
            if (feeder != null) {
                LockSupport.unpark(feeder);
            }
        }
    }

    /** The submitted count once it exceeds next, or -1 when closing with nothing left to train. */
    private long awaitSubmitted(long next) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (true) {
            boolean lastCall = closing;
            long available = submitted.get();
            if (available > next) {
                return available;
            }
            if (lastCall) {
                return -1;
            }
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            trainerParked = true;
            if (submitted.get() == next && !closing) {
                LockSupport.park(this);
            }
            trainerParked = false;
        }
    }

    /** Trains what was submitted, then stops the thread. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rethrowFailure();
    }
}
