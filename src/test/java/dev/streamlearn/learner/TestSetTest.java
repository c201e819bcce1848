package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The held-out set keeps what the model can score and skips and counts the rest, so evaluation never throws. */
class TestSetTest {
    @Test
    @DisplayName("null, undecodable and unscorable records (a label a 3-class head has not) are skipped and counted; "
            + "the model is evaluated on the rest")
    void badRecordsAreSkipped() {
        ModelConfig threeClasses = ModelConfig.preset("M2").layers(List.of(784, 3)).build();
        SeededRandom random = new SeededRandom(2);
        List<byte[]> values = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int id = 0; id < 20; id++) {
            Sample sample = LearnerTopologyTest.syntheticSample(id, random);
            values.add(Topics.SAMPLE_SERDE.encode(sample));
            if (sample.getLabel() < 3) {
                kept.add(sample.getLabel());
            }
        }
        values.add(null);
        values.add(new byte[] {1, 2, 3});
        TestSet testSet = TestSet.of(values, threeClasses);
        assertEquals(20 - kept.size() + 2, testSet.skipped());
        assertArrayEquals(kept.stream().mapToInt(Integer::intValue).toArray(), testSet.labels());
        assertEquals(kept.size() * 784, testSet.pixels().length);
        BatchEvaluator evaluator = new BatchEvaluator(new OnlineTrainer(threeClasses).network(), 10);
        assertDoesNotThrow(() -> evaluator.accuracy(testSet.pixels(), testSet.labels()));
    }
}
