package dev.streamlearn.learner;

import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads back a range of the training topic, as committed, and where the learner's group has committed on it. A
 * restored learner re-applies the records between its snapshot and its committed offset, so its model is exactly the
 * one it had committed.
 */
public interface InputReader {

    /** The learner's committed offset on a partition, once no transaction holds it open; empty when it has none. */
    OptionalLong committedOffset(String topic, int partition);

    /**
     * Hands each record of [from, to) of a partition to {@code each}, in offset order (transaction markers and aborted
     * records skipped), as it is read: a long range is never held in memory.
     */
    void read(String topic, int partition, long from, long to, Consumer<InputRecord> each);
}
