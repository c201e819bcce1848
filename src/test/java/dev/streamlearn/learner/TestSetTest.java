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
        TestSet testSet = TestSet.of(values, threeClasses, InputFormat.AVRO);
        assertEquals(20 - kept.size() + 2, testSet.skipped());
        assertArrayEquals(kept.stream().mapToInt(Integer::intValue).toArray(), testSet.labels());
        assertEquals(kept.size() * 784, testSet.inputs().length);
        BatchEvaluator evaluator = new BatchEvaluator(new OnlineTrainer(threeClasses).network(), 10);
        assertDoesNotThrow(() -> evaluator.accuracy(testSet.inputs(), testSet.labels()));
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName("a held-out set of numbers (JSON rows) gives MAE, RMSE and R-squared; a model "
            + "that answers every target exactly scores 0, 0 and 1")
    void heldOutNumbers() {
        ModelConfig identity = ModelConfig.preset("M2").layers(java.util.List.of(1, 1))
                .loss(dev.streamlearn.model.Objective.MSE).weightInit(new dev.streamlearn.model.Initialiser.Constant(1))
                .build();
        java.util.List<byte[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(("{\"features\": [" + i / 10.0 + "], \"target\": " + i / 10.0 + "}").getBytes());
        }
        rows.add("{\"features\": [1.0]}".getBytes());
        TestSet testSet = TestSet.of(rows, identity, InputFormat.JSON);
        assertEquals(50, testSet.size());
        assertEquals(1, testSet.skipped(), "the unlabelled row");
        dev.streamlearn.model.BatchEvaluator.Errors errors = new dev.streamlearn.model.BatchEvaluator(
                new dev.streamlearn.model.OnlineTrainer(identity).network(), 16).errors(testSet.inputs(),
                testSet.targets());
        assertEquals(0, errors.mae(), 1e-6);
        assertEquals(0, errors.rmse(), 1e-6);
        assertEquals(1, errors.r2(), 1e-9);
    }
}
