package dev.streamlearn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each rule on synthetic statistics: raised once when its condition starts, cleared when it stops. */
class DiagnosisTest {
    private long step;

    /** A healthy two-layer summary: update ratios 1e-3, gradients of similar size, nothing saturated or dead. */
    private TrainingSummary healthy(double loss) {
        step += 100;
        TrainingSummary summary = Fixtures.summary(step);
        TensorSummary w1 = summary.getTensors().get(0);
        TensorSummary b1 = TensorSummary.newBuilder(w1).setName("b1").setShape(List.of(64)).build();
        TensorSummary w2 = TensorSummary.newBuilder(w1).setName("W2").setLayer(2).setShape(List.of(10, 64)).build();
        TensorSummary b2 = TensorSummary.newBuilder(w1).setName("b2").setLayer(2).setShape(List.of(10)).build();
        summary.setTensors(new ArrayList<>(List.of(w1, b1, w2, b2)));
        ActivationSummary hidden = ActivationSummary.newBuilder(summary.getActivations().get(0)).setActivation("relu")
                .setDeadFraction(0.5).setUnitGradientMeanAbs(List.of(0.1f, 0.2f, 0.3f, 0f)).build();
        summary.setActivations(new ArrayList<>(List.of(hidden)));
        summary.setLossMean(loss);
        summary.setLossEma(loss);
        return summary;
    }

    private static List<String> raised(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.getState() == AlertState.RAISED).map(Alert::getRule).toList();
    }

    private static List<String> cleared(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.getState() == AlertState.CLEARED).map(Alert::getRule).toList();
    }

    /** Feeds healthy summaries, then two broken ones, then healthy again; checks raise once and clear once. */
    private void assertRaisesAndClears(String rule, Consumer<TrainingSummary> breakIt) {
        Diagnosis diagnosis = new Diagnosis();
        double loss = 1.0;
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), diagnosis.observe(healthy(loss -= 0.05)));
        }
        TrainingSummary broken = healthy(loss -= 0.05);
        breakIt.accept(broken);
        assertEquals(List.of(rule), raised(diagnosis.observe(broken)));
        TrainingSummary stillBroken = healthy(loss -= 0.05);
        breakIt.accept(stillBroken);
        assertEquals(List.of(), diagnosis.observe(stillBroken), "no repeat while active");
        assertEquals(List.of(rule), diagnosis.activeRules());
        assertEquals(List.of(rule), cleared(diagnosis.observe(healthy(loss - 0.05))));
        assertTrue(diagnosis.activeRules().isEmpty());
    }

    @Test
    @DisplayName("non-finite: a NaN loss or NaN weights")
    void nonFinite() {
        assertRaisesAndClears("non-finite", s -> s.setLossMean(Double.NaN));
    }

    @Test
    @DisplayName("exploding-gradients: an update ratio above 0.1")
    void exploding() {
        assertRaisesAndClears("exploding-gradients", s -> s.getTensors().get(2).setUpdateRatio(0.5));
    }

    @Test
    @DisplayName("vanishing-gradients: the error reaching the first layer is 1e-4 of the output layer's")
    void vanishing() {
        assertRaisesAndClears("vanishing-gradients", s -> s.getTensors().get(1).setGradientMeanAbsWindow(1e-6));
    }

    @Test
    @DisplayName("saturation: 80% of a tanh layer's outputs beyond 0.99")
    void saturation() {
        assertRaisesAndClears("saturation", s -> s.getActivations().get(0).setSaturatedFraction(0.8));
    }

    @Test
    @DisplayName("dead-relu: 3 of 4 units without gradient for the whole window")
    void deadRelu() {
        assertRaisesAndClears("dead-relu",
                s -> s.getActivations().get(0).setUnitGradientMeanAbs(List.of(0f, 0f, 0f, 0.1f)));
    }

    @Test
    @DisplayName("unstable-loss: a loss 20x the loss of guessing")
    void unstableLoss() {
        assertRaisesAndClears("unstable-loss", s -> s.setLossMean(50));
    }

    @Test
    @DisplayName("stalled-weights: no update on any weight while the loss stays flat")
    void stalled() {
        Diagnosis diagnosis = new Diagnosis();
        List<String> raised = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TrainingSummary flat = healthy(0.7);
            flat.getTensors().forEach(t -> t.setUpdateRatio(0));
            raised.addAll(raised(diagnosis.observe(flat)));
        }
        assertEquals(List.of("stalled-weights"), raised);
        assertEquals(List.of("stalled-weights"), cleared(diagnosis.observe(healthy(0.5))));
    }

    @Test
    @DisplayName("plateau: 20 summaries without improvement and no other cause")
    void plateau() {
        Diagnosis diagnosis = new Diagnosis();
        List<String> raised = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            raised.addAll(raised(diagnosis.observe(healthy(0.7))));
        }
        assertEquals(List.of("plateau"), raised);
    }

    @Test
    @DisplayName("every rule documents an explanation and a fix")
    void catalogue() {
        assertEquals(8, Diagnosis.catalogue().size());
        for (String[] rule : Diagnosis.catalogue()) {
            assertTrue(!rule[1].isBlank() && !rule[2].isBlank(), rule[0]);
        }
    }
}
