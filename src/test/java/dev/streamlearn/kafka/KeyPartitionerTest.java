package dev.streamlearn.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.model.SeededRandom;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyPartitionerTest {
    @Test
    @DisplayName("a key goes to the partition Kafka's producer sends it to (where serve finds its model, how the simulation splits rows)")
    void routesAsTheProducerPartitions() {
        SeededRandom random = new SeededRandom(9);
        for (int i = 0; i < 2_000; i++) {
            byte[] key = new byte[1 + (int) random.uniform(0, 16)];
            for (int b = 0; b < key.length; b++) {
                key[b] = (byte) random.uniform(-128, 128);
            }
            for (int partitions : new int[] {1, 2, 3, 7, 64}) {
                assertEquals(BuiltInPartitioner.partitionForKey(key, partitions),
                        KeyPartitioner.partitionOf(key, partitions));
            }
        }
        for (long index = 0; index < 1_000; index++) {
            byte[] key = Serdes.Long().serializer().serialize(null, index);
            assertEquals(BuiltInPartitioner.partitionForKey(key, 8), KeyPartitioner.partitionOfIndex(index, 8));
        }
    }
}
