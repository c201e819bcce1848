package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.MnistFetcher;
import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.producer.Drift;
import dev.streamlearn.producer.SampleProducer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;

/**
 * The learner's drift detection on real MNIST, streamed as the producer sends it (its drift applied by the producer's
 * own code): a change at sample 30,000 is signalled within 1,000 samples; three stationary epochs signal nothing.
 */
class ConceptDriftTest {

    private static Mnist train() throws Exception {
        Path dir = Path.of("data", "mnist");
        MnistFetcher.fetch(dir);
        return Mnist.load(dir, Mnist.Split.TRAIN);
    }

    /** The concept-drift alerts raised while training on epochs of the split, drifted as the producer would. */
    private static List<Alert> driftAlerts(String model, int epochs, List<Drift> drifts) throws Exception {
        Mnist train = train();
        var rows = SampleProducer.samples(train);
        Drift.Applied<Sample> drifted = Drift.onSamples(drifts, 0, 10);
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(ModelConfig.preset(model).build()),
                TrainingLoop.Cadence.summariesEvery(100), new SummaryFactory("drift-test", "mnist.train", 30),
                () -> null);
        List<Alert> raised = new ArrayList<>();
        byte[] pixels = new byte[train.pixelsPerImage()];
        long position = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = 0; i < train.count(); i++, position++) {
                Sample sample = drifted.apply(rows.record(i, epoch), position);
                sample.getPixels().duplicate().get(pixels);
                TrainingLoop.Result result = loop.train(pixels, sample.getLabel(), 0, position, 0);
                for (Alert alert : result.alerts()) {
                    if (alert.getRule().equals(Catalogue.CONCEPT_DRIFT.name())
                            && alert.getState() == AlertState.RAISED) {
                        raised.add(alert);
                    }
                }
            }
        }
        return raised;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"M2", "M4"})
    @DisplayName("labels permuted at sample 30,000: one concept-drift alert, at a step within 1,000 samples of it, "
            + "naming the error before and after")
    void permutedLabelsAreDetected(String model) throws Exception {
        List<Alert> alerts = driftAlerts(model, 1, List.of(new Drift(30_000, Drift.Kind.PERMUTE_LABELS, 1)));
        assertEquals(1, alerts.size(), () -> "alerts: " + alerts);
        Alert alert = alerts.get(0);
        assertTrue(alert.getStep() > 30_000 && alert.getStep() <= 31_000, "detected at step " + alert.getStep());
        assertTrue(alert.getExplanation().toString().matches(".*at step \\d+ the error rate rose from 0\\.\\d+ to "
                + "0\\.\\d+"), alert.getExplanation().toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"M2", "M4"})
    @DisplayName("three stationary epochs raise no concept-drift alert")
    void stationaryStreamsRaiseNothing(String model) throws Exception {
        assertEquals(List.of(), driftAlerts(model, 3, List.of()));
    }
}
