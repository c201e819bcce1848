package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.TrainingSummary;
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
            + "checkpoints every 2,000 steps and the store's snapshot every 1,000 records")
    void outputsInOrder() {
        List<String> emitted = train(recordTrainer(() -> null, 0), records(), true);
        List<String> expected = new ArrayList<>();
        long step = 0;
        for (int offset = 0; offset < RECORDS; offset++) {
            StringBuilder outputs = new StringBuilder();
            if (offset % 97 == 13) {
                outputs.append(" dead-letters:").append(offset);
            } else if (++step % 100 == 0) {
                outputs.append(" summaries:").append(step).append(step % 2000 == 0 ? " checkpoints:" + step : "");
            }
            if ((offset + 1) % 1000 == 0) {
                outputs.append(" +snapshot");
            }
            if (!outputs.isEmpty()) {
                expected.add("@" + offset + outputs);
            }
        }
        assertEquals(expected, emitted);
    }

    @Test
    @DisplayName("a record too large for a dead letter is kept as its first bytes, and the reason says how many of how "
            + "many; the letter fits in a record")
    void oversizeRecordKeepsAPrefix() throws Exception {
        byte[] value = new byte[Topics.MAX_RECORD_BYTES + 10];
        byte[] key = new byte[] {7, 7};
        RecordTrainer.Emission emission = recordTrainer(() -> null, 0).train(
                new InputRecord(key, value, TOPIC, 0, 42, 0), true);
        DeadLetter letter = (DeadLetter) emission.forwards().get(0).value();
        assertEquals(DeadLetters.MAX_KEPT_BYTES - 2, letter.getValue().remaining());
        assertEquals(2, letter.getKey().remaining());
        assertEquals("not an Avro single-object encoded Sample or Features: " + decodeFailure(value) + " (too large for a dead "
                + "letter: kept the first 2 of 2 key bytes and " + (DeadLetters.MAX_KEPT_BYTES - 2) + " of "
                + value.length + " value bytes)", letter.getReason());
        assertTrue(Topics.DEAD_LETTER_SERDE.encode(letter).length <= Topics.MAX_RECORD_BYTES);
    }

    private static String decodeFailure(byte[] value) {
        try {
            Topics.SAMPLE_SERDE.decode(value);
            throw new AssertionError("decoded");
        } catch (java.io.IOException | RuntimeException e) {
            return e.getMessage();
        }
    }

    private static RecordTrainer recordTrainer(ModelConfig model) {
        LearnerConfig config = LearnerConfig.builder("record-trainer-test", TOPICS, model).evaluationInterval(0)
                .checkpointInterval(0).build();
        return new RecordTrainer(config, new TrainingLoop(new OnlineTrainer(model), TrainingLoop.Cadence.of(config),
                new SummaryFactory(config.applicationId(), TOPIC, config.histogramBins()), () -> null));
    }

    private static List<TrainingSummary> summaries(RecordTrainer trainer, List<InputRecord> records) {
        List<TrainingSummary> summaries = new ArrayList<>();
        for (InputRecord record : records) {
            RecordTrainer.Emission emission = trainer.train(record, true);
            for (RecordTrainer.Forward forward : emission == null ? List.<RecordTrainer.Forward>of()
                    : emission.forwards()) {
                if (forward.value() instanceof TrainingSummary summary) {
                    summaries.add(summary);
                }
            }
        }
        return summaries;
    }

    @Test
    @DisplayName("a stream of nothing but bad records still gets a summary every 100 records, its refused count moving "
            + "and no step taken; nothing calls it non-finite")
    void refusedRecordsStillSummarised() {
        List<InputRecord> garbage = new ArrayList<>();
        for (int offset = 0; offset < 250; offset++) {
            garbage.add(new InputRecord(null, new byte[] {1, 2, 3}, TOPIC, 0, offset, offset));
        }
        List<TrainingSummary> summaries = summaries(recordTrainer(ModelConfig.preset("M2").build()), garbage);
        assertEquals(List.of(100L, 200L), summaries.stream().map(TrainingSummary::getRejectedRecords).toList());
        for (TrainingSummary summary : summaries) {
            assertEquals(0, summary.getLastStep());
            assertEquals(1, summary.getFirstStep(), "an empty window: first step after the last");
            assertEquals(List.of(), summary.getAlerts());
        }
        assertEquals(List.of(0L, 100L), summaries.stream().map(TrainingSummary::getFirstOffset).toList());
        assertEquals(List.of(99L, 199L), summaries.stream().map(TrainingSummary::getLastOffset).toList());
    }

    private static long unapplied(TrainingSummary summary) {
        return summary.getSkippedUpdates() + summary.getRejectedRecords();
    }

    @Test
    @DisplayName("a model whose every update is refused as non-finite still gets summaries, its skipped count moving, "
            + "and non-finite is raised")
    void nonFiniteModelStillSummarised() {
        List<TrainingSummary> summaries = summaries(recordTrainer(ModelConfig.preset("M2").learningRate(1e38).build()),
                records().subList(0, 400));
        assertTrue(summaries.size() >= 3, summaries.size() + " summaries");
        for (int i = 1; i < summaries.size(); i++) {
            assertEquals(100, unapplied(summaries.get(i)) - unapplied(summaries.get(i - 1)),
                    "a summary every 100 records that reached no update");
            assertEquals(summaries.get(0).getLastStep(), summaries.get(i).getLastStep(), "no update applied");
        }
        TrainingSummary last = summaries.get(summaries.size() - 1);
        assertEquals(List.of("non-finite"), last.getAlerts());
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
