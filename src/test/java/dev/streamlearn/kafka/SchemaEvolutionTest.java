package dev.streamlearn.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.DriftState;
import dev.streamlearn.avro.Severity;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.model.ModelSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records written by the release before a schema change (fixtures in {@code records-v1/}) still decode. */
class SchemaEvolutionTest {

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("records-v1/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    @DisplayName("a summary written before tensor roles decodes, every field kept and the role null")
    void summaryWithoutRoles() throws IOException {
        TrainingSummary decoded = Topics.SUMMARY_SERDE.decode(fixture("summary-v1.avro"));
        TrainingSummary written = Fixtures.summary(200);
        for (TensorSummary tensor : decoded.getTensors()) {
            assertNull(tensor.getRole());
        }
        written.getTensors().forEach(tensor -> tensor.setRole(null));
        assertEquals(written, decoded);
    }

    @Test
    @DisplayName("an alert written before severities decodes as a warning, every other field kept")
    void alertWithoutSeverity() throws IOException {
        Alert decoded = Topics.ALERT_SERDE.decode(fixture("alert-v1.avro"));
        assertEquals(Alert.newBuilder().setRule("vanishing-gradients").setState(AlertState.RAISED).setStep(300)
                .setLayer(1).setExplanation("old explanation").setFix("old fix").setSeverity(Severity.WARNING)
                .build(), decoded);
    }

    @Test
    @DisplayName("an alert written before partitions decodes with no partition, every other field kept")
    void alertWithoutPartition() throws IOException {
        Alert decoded = Topics.ALERT_SERDE.decode(fixture("alert-v2.avro"));
        assertEquals(Alert.newBuilder().setRule("dead-relu").setState(AlertState.RAISED).setStep(700).setLayer(2)
                .setExplanation("old explanation").setFix("old fix").setSeverity(Severity.CRITICAL).setPartition(null)
                .build(), decoded);
    }

    @Test
    @DisplayName("a dead letter written before sweeps decodes, every field kept and no learner")
    void deadLetterWithoutLearner() throws IOException {
        DeadLetter decoded = Topics.DEAD_LETTER_SERDE.decode(fixture("deadletter-v1.avro"));
        assertEquals(DeadLetter.newBuilder().setKey(ByteBuffer.wrap(new byte[] {1}))
                .setValue(ByteBuffer.wrap(new byte[] {0x42})).setTopic("mnist.train").setPartition(0).setOffset(57)
                .setTimestamp(Instant.ofEpochMilli(9)).setStage("decode").setReason("old reason").setExceptionClass(null)
                .setLearner(null).build(), decoded);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"summary-v3.avro", "summary-v4.avro"})
    @DisplayName("a summary written before averaging (v3) or before the cumulative loss (v4) decodes, every field kept, "
            + "with no averaging round and no cumulative loss")
    void summaryWithoutAveragingOrCumulativeLoss(String name) throws IOException {
        TrainingSummary decoded = Topics.SUMMARY_SERDE.decode(fixture(name));
        assertNull(decoded.getAveraging());
        assertNull(decoded.getLossCumulative());
        assertEquals(Fixtures.summary(200), decoded);
    }

    @Test
    @DisplayName("a checkpoint written before numeric heads' drift detection decodes with its detector's state, no "
            + "target spread and no level marks")
    void checkpointWithoutTargetSpread() throws IOException {
        Checkpoint decoded = Topics.CHECKPOINT_SERDE.decode(fixture("checkpoint-v3.avro"));
        assertEquals("learner-fixture", decoded.getApplicationId());
        assertEquals(150, ModelSnapshot.read(decoded.getSnapshot().array()).updates());
        DriftState drift = decoded.getLearnerState().getDrift();
        assertEquals(150, drift.getCount());
        assertEquals(1.0, drift.getBoostFactor());
        assertEquals(0, drift.getTargetCount());
        assertEquals(List.of(), drift.getTargetMean());
        assertEquals(List.of(), drift.getTargetSquaredDeviations());
        assertEquals(0, drift.getLevel());
        assertEquals(0, drift.getLastMark());
        assertEquals(0, drift.getPreviousMark());
    }

    @Test
    @DisplayName("a checkpoint written before averaging decodes with its learner state, no round and no rounds offset")
    void checkpointWithoutAveraging() throws IOException {
        Checkpoint decoded = Topics.CHECKPOINT_SERDE.decode(fixture("checkpoint-v2.avro"));
        assertEquals("learner-fixture", decoded.getApplicationId());
        assertEquals(150, decoded.getNextOffset());
        assertEquals(150, ModelSnapshot.read(decoded.getSnapshot().array()).updates());
        assertEquals(150, decoded.getLearnerState().getWindow().getSteps() + 100);
        assertNull(decoded.getAveraging());
        assertNull(decoded.getRoundsFrom());
    }

    @Test
    @DisplayName("a checkpoint written before learner state decodes, without learner state")
    void checkpoint() throws IOException {
        Checkpoint decoded = Topics.CHECKPOINT_SERDE.decode(fixture("checkpoint-v1.avro"));
        assertEquals("learner-fixture", decoded.getApplicationId());
        assertEquals(150, decoded.getStep());
        assertEquals(150, decoded.getNextOffset());
        assertEquals(150, ModelSnapshot.read(decoded.getSnapshot().array()).updates());
        assertNull(decoded.getLearnerState());
    }
}
