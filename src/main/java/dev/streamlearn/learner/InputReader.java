package dev.streamlearn.learner;

import java.util.List;

/**
 * Reads back a range of the training topic, as committed. A restored learner re-applies the records between its
 * snapshot and the first record Kafka Streams hands it, so its model is exactly the one it had committed.
 */
public interface InputReader {

    /** Records of [from, to) of a partition, in offset order (transaction markers and aborted records skipped). */
    List<InputRecord> read(String topic, int partition, long from, long to);
}
