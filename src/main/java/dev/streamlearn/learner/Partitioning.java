package dev.streamlearn.learner;

import java.util.Locale;

/**
 * How a learner spreads over the training topic's partitions. One partition is one total order of samples, which is
 * what makes a model a function of topic offsets: a model trains on one partition, or is averaged over several at
 * record counts of each, which keeps it a function of the offsets of them all.
 */
public enum Partitioning {
    /** One model on a topic of one partition (a topic of more is refused at start). */
    SINGLE,
    /**
     * One model per partition, each with its own store, snapshot, catch-up, summaries (which name the partition) and
     * model versions; Kafka Streams spreads the partitions over the instances of one application id.
     */
    PER_PARTITION,
    /**
     * One model trained data-parallel: a replica per partition, each trained on its own partition, every replica
     * replacing its parameters and optimiser state by the average of all replicas' after every K records of its own
     * partition (local SGD with periodic model averaging, {@link dev.streamlearn.model.ModelAverage}). The model is a
     * function of the offsets of every partition.
     */
    AVERAGED;

    public static Partitioning parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "single" -> SINGLE;
            case "per-partition" -> PER_PARTITION;
            case "averaged" -> AVERAGED;
            default -> throw new IllegalArgumentException("--partitioning is '" + text + "', expected single, "
                    + "per-partition or averaged");
        };
    }

    public String flagValue() {
        return switch (this) {
            case SINGLE -> "single";
            case PER_PARTITION -> "per-partition";
            case AVERAGED -> "averaged";
        };
    }
}
