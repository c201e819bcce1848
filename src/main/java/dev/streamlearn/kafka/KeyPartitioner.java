package dev.streamlearn.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition a keyed record goes to, as the Kafka producer's default partitioner chooses it (murmur2 of the key
 * bytes): where a request's key finds its model, and how a simulation splits the rows the producer would send.
 */
public final class KeyPartitioner {
    private KeyPartitioner() {
    }

    public static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** The partition of a row the producer sends keyed by its index. */
    public static int partitionOfIndex(long index, int partitions) {
        return partitionOf(Serdes.Long().serializer().serialize(null, index), partitions);
    }
}
