package dev.streamlearn.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.model.SeededRandom;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModelFollowerTest {
    @Test
    @DisplayName("a key is answered by the model of the partition Kafka's producer sends it to")
    void routesAsTheProducerPartitions() {
        SeededRandom random = new SeededRandom(9);
        for (int i = 0; i < 2_000; i++) {
            byte[] key = new byte[1 + (int) random.uniform(0, 16)];
            for (int b = 0; b < key.length; b++) {
                key[b] = (byte) random.uniform(-128, 128);
            }
            for (int partitions : new int[] {1, 2, 3, 7, 64}) {
                assertEquals(BuiltInPartitioner.partitionForKey(key, partitions),
                        ModelFollower.partitionFor(key, partitions));
            }
        }
    }
}
