package dev.streamlearn.learner;

import dev.streamlearn.avro.RoundContribution;
import java.util.List;
import java.util.Optional;

/**
 * Where the replicas of a model trained with {@link Partitioning#AVERAGED} meet: the committed contributions to each
 * averaging round. Only committed contributions count, so a contribution a dead instance sent in a transaction that
 * never committed is never averaged; its replacement, trained on the same records, sends the same one again.
 */
public interface RoundBoard {

    /**
     * A round's contributions, one per partition, in partition order.
     *
     * @param nextFrom an offset of the rounds log at or after which every contribution of a later round lies
     */
    record Round(List<RoundContribution> contributions, long nextFrom) {
    }

    /**
     * The contributions of one round of this learner's model, once every partition's has been committed; empty until then. It
     * does not wait: the processor asks again on its next record or punctuation.
     *
     * @param from an offset of the rounds log at or after which every contribution of this round lies
     */
    Optional<Round> round(long round, int partitions, long from);

    /** The key of a contribution on the rounds topic: {@code application/round/partition}. */
    static String key(String applicationId, long round, int partition) {
        return keyPrefix(applicationId) + round + "/" + partition;
    }

    /** The start of every key of a learner's contributions, {@code application/}. */
    static String keyPrefix(String applicationId) {
        return applicationId + "/";
    }

    /** The partitions of the training topic: the replicas of each round. */
    int partitions(String topic);
}
