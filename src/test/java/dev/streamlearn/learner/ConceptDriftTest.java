package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.DriftDetection;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.data.FeatureTable;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.MnistFetcher;
import dev.streamlearn.data.SyntheticStreams;
import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.Activation;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.Initialiser;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.Objective;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.OptimizerSpec;
import dev.streamlearn.producer.Drift;
import dev.streamlearn.producer.SampleProducer;
import dev.streamlearn.producer.TableRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The learner's drift detection on real MNIST and on a regression stream, streamed as the producer sends them (their
 * drift applied by the producer's own code): a change at sample 30,000 is signalled within 1,000 samples; three
 * stationary epochs signal nothing.
 */
class ConceptDriftTest {

    private static Mnist train() throws Exception {
        Path dir = Path.of("data", "mnist");
        MnistFetcher.fetch(dir);
        return Mnist.load(dir, Mnist.Split.TRAIN);
    }

    private static final List<Drift> PERMUTED_AT_30000 = List.of(new Drift(30_000, Drift.Kind.PERMUTE_LABELS, 1));

    /** What a run left: its concept-drift alerts raised, its summaries, its loop. */
    private record Run(List<Alert> raised, List<TrainingSummary> summaries, TrainingLoop loop) {
        Run(TrainingLoop loop) {
            this(new ArrayList<>(), new ArrayList<>(), loop);
        }

        /** Keeps a step's summary and the concept-drift alerts it raised. */
        void add(TrainingLoop.Result result) {
            if (result.summary() != null) {
                summaries.add(result.summary());
            }
            for (Alert alert : result.alerts()) {
                if (alert.getRule().equals(Catalogue.CONCEPT_DRIFT.name()) && alert.getState() == AlertState.RAISED) {
                    raised.add(alert);
                }
            }
        }
    }

    private static TrainingLoop loop(ModelConfig model, DriftResponse onDrift) {
        return new TrainingLoop(new OnlineTrainer(model), TrainingLoop.Cadence.summariesEvery(100),
                new SummaryFactory("drift-test", "mnist.train", 30), () -> null, onDrift);
    }

    /** Trains a loop on positions [from, to) of epochs of the split, drifted as the producer would. */
    private static Run train(TrainingLoop loop, long from, long to, List<Drift> drifts) throws Exception {
        Mnist train = train();
        var rows = SampleProducer.samples(train);
        Drift.Applied<Sample> drifted = Drift.onSamples(drifts, 0, 10);
        Run run = new Run(loop);
        byte[] pixels = new byte[train.pixelsPerImage()];
        for (long position = from; position < to; position++) {
            int index = (int) (position % train.count());
            Sample sample = drifted.apply(rows.record(index, (int) (position / train.count())), position);
            sample.getPixels().duplicate().get(pixels);
            run.add(loop.train(pixels, sample.getLabel(), 0, position, 0));
        }
        return run;
    }

    /** The concept-drift alerts raised while training on epochs of the split, drifted as the producer would. */
    private static List<Alert> driftAlerts(String model, int epochs, List<Drift> drifts) throws Exception {
        return train(loop(ModelConfig.preset(model).build(), DriftResponse.NOTHING), 0, (long) epochs * 60_000,
                drifts).raised();
    }

    @Test
    @DisplayName("--on-drift boost-lr:3:2000: from the signal on, 2,000 steps at three times the rate, then back; the "
            + "summary of the window says so")
    void boostsTheLearningRate() throws Exception {
        Run run = train(loop(ModelConfig.preset("M2").build(), DriftResponse.parse("boost-lr:3:2000")), 0, 36_000,
                PERMUTED_AT_30000);
        List<TrainingSummary> signalled = run.summaries().stream().filter(s -> s.getDrift() != null).toList();
        assertEquals(1, signalled.size());
        DriftDetection drift = signalled.get(0).getDrift();
        assertEquals("boost-lr:3.0:2000", drift.getAction());
        for (TrainingSummary summary : run.summaries()) {
            double expected = summary.getLastStep() > drift.getStep() && summary.getLastStep() <= drift.getStep() + 2000
                    ? 0.03 : 0.01;
            assertEquals(expected, summary.getLearningRate(), 1e-12, "step " + summary.getLastStep());
        }
    }

    @Test
    @DisplayName("--on-drift reset-optimiser: at the step that signals, momentum's velocity is zeroed")
    void resetsTheOptimiser() throws Exception {
        ModelConfig momentum = ModelConfig.preset("M2").optimizer(OptimizerSpec.of("momentum", Map.of())).build();
        long signalledAt = train(loop(momentum, DriftResponse.NOTHING), 0, 32_000, PERMUTED_AT_30000).raised().get(0)
                .getStep();
        TrainingLoop reset = train(loop(momentum, DriftResponse.parse("reset-optimiser")), 0, signalledAt,
                PERMUTED_AT_30000).loop();
        for (float[] velocity : reset.trainer().optimiser().saveState()) {
            assertArrayEquals(new float[velocity.length], velocity);
        }
        TrainingLoop kept = train(loop(momentum, DriftResponse.NOTHING), 0, signalledAt, PERMUTED_AT_30000).loop();
        assertTrue(kept.trainer().optimiser().saveState().stream().anyMatch(v -> v[0] != 0 || v[v.length - 1] != 0),
                "without the response the velocity is not zero");
    }

    @Test
    @DisplayName("a loop restored from a snapshot taken 50 samples before the change signals at the same step, boosts "
            + "alike and ends with the same model, bit for bit, as one never stopped")
    void restoredDetectorSignalsAlike() throws Exception {
        ModelConfig model = ModelConfig.preset("M2").build();
        DriftResponse boost = DriftResponse.parse("boost-lr:3:2000");
        Run uninterrupted = train(loop(model, boost), 0, 33_000, PERMUTED_AT_30000);
        TrainingLoop before = train(loop(model, boost), 0, 29_950, PERMUTED_AT_30000).loop();
        TrainingLoop restored = new TrainingLoop(ModelSnapshot.read(ModelSnapshot.write(before.trainer())),
                TrainingLoop.Cadence.summariesEvery(100), new SummaryFactory("drift-test", "mnist.train", 30),
                () -> null, boost);
        restored.restore(Topics.CHECKPOINT_SERDE.decode(Topics.CHECKPOINT_SERDE.encode(ModelCheckpoint.take(
                "drift-test", "mnist.train", 0, 29_950, before))).getLearnerState());
        Run after = train(restored, 29_950, 33_000, PERMUTED_AT_30000);
        assertEquals(uninterrupted.raised().get(0).getStep(), after.raised().get(0).getStep());
        BitwiseAssertions.assertSameModel(uninterrupted.loop().trainer(), after.loop().trainer());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"M2", "M4"})
    @DisplayName("labels permuted at sample 30,000: one concept-drift alert, at a step within 1,000 samples of it, "
            + "naming the error before and after")
    void permutedLabelsAreDetected(String model) throws Exception {
        assertOneAlertSoonAfter30000(driftAlerts(model, 1, PERMUTED_AT_30000), "error rate");
    }

    /** One concept-drift alert, at a step within 1,000 samples after 30,000, naming its error before and after. */
    private static void assertOneAlertSoonAfter30000(List<Alert> alerts, String error) {
        assertEquals(1, alerts.size(), () -> "alerts: " + alerts);
        Alert alert = alerts.get(0);
        assertTrue(alert.getStep() > 30_000 && alert.getStep() <= 31_000, "detected at step " + alert.getStep());
        String explanation = alert.getExplanation().toString();
        assertTrue(explanation.matches(".*at step \\d+ the " + Pattern.quote(error) + " rose from 0\\.\\d+ to 0\\.\\d+"),
                explanation);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"M2", "M4"})
    @DisplayName("three stationary epochs raise no concept-drift alert")
    void stationaryStreamsRaiseNothing(String model) throws Exception {
        assertEquals(List.of(), driftAlerts(model, 3, List.of()));
    }

    /** The synthetic identity stream's net, fixed (seed-004's answer: Xavier init), learning at rate lr. */
    private static ModelConfig identityNet(double lr) {
        return ModelConfig.preset("M2").layers(List.of(1, 16, 16, 1)).activation(Activation.RELU).loss(Objective.MSE)
                .weightInit(Initialiser.parse("xavier-uniform")).learningRate(lr).build();
    }

    private static final List<Drift> SHIFTED_AT_30000 = List.of(new Drift(30_000, Drift.Kind.SHIFT_TARGET, 1));

    /**
     * Trains a loop on positions [from, to) of epochs of the synthetic identity stream (60,000 rows), drifted, encoded
     * and checked as the producer and the learner do.
     */
    private static Run trainNumbers(TrainingLoop loop, long from, long to, List<Drift> drifts) {
        FeatureTable table = SyntheticStreams.identity(60_000, 1);
        var rows = TableRows.features(table);
        Drift.Applied<Features> drifted = Drift.onFeatures(drifts, 0, 0);
        SampleValidator validator = new SampleValidator(loop.trainer().config(), InputFormat.AVRO);
        Run run = new Run(loop);
        for (long position = from; position < to; position++) {
            Features row = drifted.apply(rows.record((int) (position % table.count()),
                    (int) (position / table.count())), position);
            run.add(loop.train(validator.check(Topics.FEATURES_SERDE.encode(row)).input(), 0, position, 0));
        }
        return run;
    }

    @Test
    @DisplayName("a regression stream's targets shifted by 1 at sample 30,000 (produce --drift 30000:shift-target=1 on "
            + "the identity stream, a net at lr 0.001): one concept-drift alert within 1,000 samples, its error in "
            + "standard deviations of the target")
    void shiftedTargetsAreDetected() {
        assertOneAlertSoonAfter30000(trainNumbers(loop(identityNet(0.001), DriftResponse.NOTHING), 0, 40_000,
                SHIFTED_AT_30000).raised(), "error (in standard deviations of the target, capped at 1)");
    }

    @ParameterizedTest(name = "lr {0}")
    @ValueSource(doubles = {0.01, 0.001})
    @DisplayName("three stationary epochs of a regression stream raise no concept-drift alert")
    void stationaryNumbersRaiseNothing(double lr) {
        assertEquals(List.of(), trainNumbers(loop(identityNet(lr), DriftResponse.NOTHING), 0, 180_000, List.of())
                .raised());
    }

    @Test
    @DisplayName("a regression loop restored from a checkpoint 50 samples before the shift (its targets' spread "
            + "through Avro) signals at the same step and ends with the same model, bit for bit")
    void restoredNumericDetectorSignalsAlike() throws Exception {
        ModelConfig model = identityNet(0.001);
        Run uninterrupted = trainNumbers(loop(model, DriftResponse.NOTHING), 0, 31_000, SHIFTED_AT_30000);
        TrainingLoop before = trainNumbers(loop(model, DriftResponse.NOTHING), 0, 29_950, SHIFTED_AT_30000).loop();
        TrainingLoop restored = new TrainingLoop(ModelSnapshot.read(ModelSnapshot.write(before.trainer())),
                TrainingLoop.Cadence.summariesEvery(100), new SummaryFactory("drift-test", "mnist.train", 30),
                () -> null, DriftResponse.NOTHING);
        restored.restore(Topics.CHECKPOINT_SERDE.decode(Topics.CHECKPOINT_SERDE.encode(ModelCheckpoint.take(
                "drift-test", "numbers", 0, 29_950, before))).getLearnerState());
        Run after = trainNumbers(restored, 29_950, 31_000, SHIFTED_AT_30000);
        assertEquals(1, uninterrupted.raised().size());
        assertEquals(uninterrupted.raised().get(0).getStep(), after.raised().get(0).getStep());
        BitwiseAssertions.assertSameModel(uninterrupted.loop().trainer(), after.loop().trainer());
    }
}
