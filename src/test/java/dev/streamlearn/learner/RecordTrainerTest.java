package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What one input record produces: outputs in order, dead letters with reasons, silent re-application. */
class RecordTrainerTest {
    private static final Topics TOPICS = new Topics("");
    private static final String TOPIC = TOPICS.train().name();
    private static final int RECORDS = 5_243;

    private static LearnerConfig config() {
        return LearnerConfig.builder("record-trainer-test", TOPICS, ModelConfig.preset("M2").build())
                .snapshotInterval(1000).evaluationInterval(0).checkpointInterval(2000).build();
    }

    private static RecordTrainer recordTrainer(Supplier<TestSet> heldOut, int evaluationInterval) {
        LearnerConfig config = config();
        TrainingLoop.Cadence cadence = new TrainingLoop.Cadence(config.summaryInterval(), evaluationInterval,
                config.snapshotInterval(), config.checkpointInterval());
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(config.model()), cadence,
                new SummaryFactory(config.applicationId(), TOPIC, config.histogramBins()), heldOut);
        return new RecordTrainer(config, loop);
    }

    /** Samples with a record that is not Avro every 97th offset, so dead letters are interleaved with summaries. */
    private static List<InputRecord> records() {
        SeededRandom random = new SeededRandom(5);
        List<InputRecord> records = new ArrayList<>();
        for (int offset = 0; offset < RECORDS; offset++) {
            byte[] value = offset % 97 == 13 ? new byte[] {1, 2, 3}
                    : Topics.SAMPLE_SERDE.encode(LearnerTopologyTest.syntheticSample(offset, random));
            records.add(new InputRecord(null, value, TOPIC, 0, offset, offset));
        }
        return records;
    }

    /** What an emission says, without its wall-clock fields: the sinks in order, the offset, the stored snapshot. */
    private static String describe(RecordTrainer.Emission emission) {
        StringBuilder text = new StringBuilder("@" + emission.offset());
        for (RecordTrainer.Forward forward : emission.forwards()) {
            text.append(' ').append(forward.sink()).append(':').append(forward.key());
        }
        return text.append(emission.storeCheckpoint() == null ? "" : " +snapshot").toString();
    }

    private static List<String> train(RecordTrainer trainer, List<InputRecord> records, boolean emit) {
        List<String> emitted = new ArrayList<>();
        for (InputRecord record : records) {
            RecordTrainer.Emission emission = trainer.train(record, emit);
            if (emission != null) {
                emitted.add(describe(emission));
            }
        }
        return emitted;
    }

    @Test
    @DisplayName("each record's outputs come out with it: a dead letter for a bad record, summaries every 100 steps, "
            + "checkpoints every 2,000 and the store's snapshot every 1,000")
    void outputsInOrder() {
        List<String> emitted = train(recordTrainer(() -> null, 0), records(), true);
        List<String> expected = new ArrayList<>();
        long step = 0;
        for (int offset = 0; offset < RECORDS; offset++) {
            if (offset % 97 == 13) {
                expected.add("@" + offset + " dead-letters:" + offset);
                continue;
            }
            step++;
            if (step % 100 == 0) {
                expected.add("@" + offset + " summaries:" + step + (step % 2000 == 0 ? " checkpoints:" + step : "")
                        + (step % 1000 == 0 ? " +snapshot" : ""));
            }
        }
        assertEquals(expected, emitted);
    }

    @Test
    @DisplayName("records re-applied without emitting send nothing and leave every tensor as emitting would")
    void silentRecordsChangeOnlyTheModel() {
        List<InputRecord> records = records();
        RecordTrainer loud = recordTrainer(() -> null, 0);
        train(loud, records, true);
        RecordTrainer silent = recordTrainer(() -> null, 0);
        assertEquals(List.of(), train(silent, records, false));
        BitwiseAssertions.assertSameModel(loud.loop().trainer(), silent.loop().trainer());
    }

    @Test
    @DisplayName("a failure of the learner's own (an unreadable held-out set) is thrown with its cause, not swallowed")
    void ownFailureIsThrown() {
        IllegalStateException boom = new IllegalStateException("held-out set unreadable");
        RecordTrainer failing = recordTrainer(() -> {
            throw boom;
        }, 100);
        assertSame(boom, assertThrows(IllegalStateException.class, () -> train(failing, records(), true)));
    }
}
