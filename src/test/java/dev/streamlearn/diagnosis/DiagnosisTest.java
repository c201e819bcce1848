package dev.streamlearn.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.Severity;
import dev.streamlearn.avro.TensorRole;
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
        TensorSummary b1 = TensorSummary.newBuilder(w1).setName("b1").setRole(TensorRole.BIAS).setShape(List.of(64))
                .build();
        TensorSummary w2 = TensorSummary.newBuilder(w1).setName("W2").setLayer(2).setShape(List.of(10, 64)).build();
        TensorSummary b2 = TensorSummary.newBuilder(w1).setName("b2").setRole(TensorRole.BIAS).setLayer(2)
                .setShape(List.of(10)).build();
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

    private static Rule rule(String name) {
        return Catalogue.find(name).orElseThrow();
    }

    /**
     * Feeds healthy summaries, then broken ones, then healthy ones again: the alert is raised on exactly the rule's
     * raiseAfter-th broken summary and not repeated, and cleared on exactly its clearAfter-th healthy one.
     */
    private void assertRaisesAndClears(String name, Consumer<TrainingSummary> breakIt) {
        assertRaisesAndClears(name, breakIt, 0);
    }

    /** As above, for a rule that remembers the broken summaries for {@code lingering} healthy ones. */
    private void assertRaisesAndClears(String name, Consumer<TrainingSummary> breakIt, int lingering) {
        Rule rule = rule(name);
        Diagnosis diagnosis = new Diagnosis();
        double loss = 1.0;
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), diagnosis.observe(healthy(loss -= 0.01)));
        }
        for (int i = 1; i <= rule.raiseAfter() + 2; i++) {
            TrainingSummary broken = healthy(loss -= 0.01);
            breakIt.accept(broken);
            List<String> raised = raised(diagnosis.observe(broken));
            assertEquals(i == rule.raiseAfter() ? List.of(name) : List.of(), raised, "broken summary " + i);
        }
        assertEquals(List.of(name), diagnosis.activeRules());
        int clearsOn = lingering + rule.clearAfter();
        for (int i = 1; i <= clearsOn; i++) {
            List<Alert> transitions = diagnosis.observe(healthy(loss -= 0.01));
            assertEquals(i == clearsOn ? List.of(name) : List.of(), cleared(transitions), "healthy summary " + i);
        }
        assertTrue(diagnosis.activeRules().isEmpty());
    }

    @Test
    @DisplayName("one broken summary between healthy ones raises nothing for a rule that needs three running")
    void noiseDoesNotRaise() {
        Diagnosis diagnosis = new Diagnosis();
        double loss = 1.0;
        for (int i = 0; i < 10; i++) {
            TrainingSummary summary = healthy(loss -= 0.01);
            if (i % 2 == 0) {
                summary.getActivations().get(0).setSaturatedFraction(0.8);
            }
            assertEquals(List.of(), diagnosis.observe(summary), "summary " + i);
        }
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
    @DisplayName("unstable-loss: a loss 20x the loss of guessing, remembered while it is in the 5-window mean")
    void unstableLoss() {
        assertRaisesAndClears("unstable-loss", s -> s.setLossMean(50), (int) Catalogue.SMOOTHED_WINDOWS.value() - 1);
    }

    @Test
    @DisplayName("unstable-loss: five windows averaging over twice the loss of guessing, none of them 4x")
    void unstableSmoothedLoss() {
        Diagnosis diagnosis = new Diagnosis();
        List<String> raised = new ArrayList<>();
        for (int i = 0; i < (int) Catalogue.SMOOTHED_WINDOWS.value(); i++) {
            raised.addAll(raised(diagnosis.observe(healthy(i % 2 == 0 ? 8 : 3))));
        }
        assertEquals(List.of("unstable-loss"), raised);
    }

    @Test
    @DisplayName("stalled-weights: no update and no gradient on any weight while the loss stays flat")
    void stalled() {
        Diagnosis diagnosis = new Diagnosis();
        List<String> raised = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TrainingSummary flat = healthy(0.7);
            flat.getTensors().forEach(t -> t.setUpdateRatio(0));
            flat.getTensors().forEach(t -> t.setGradientMeanAbsWindow(0));
            raised.addAll(raised(diagnosis.observe(flat)));
        }
        assertEquals(List.of("stalled-weights"), raised);
        List<String> cleared = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cleared.addAll(cleared(diagnosis.observe(healthy(0.5 - 0.01 * i))));
        }
        assertEquals(List.of("stalled-weights"), cleared);
    }

    @Test
    @DisplayName("stalled-weights: a last step that moved nothing, in a window of healthy gradients, is no stall")
    void easyLastSampleIsNotStalled() {
        Diagnosis diagnosis = new Diagnosis();
        for (int i = 0; i < 8; i++) {
            TrainingSummary flat = healthy(0.7);
            flat.getTensors().forEach(t -> t.setUpdateRatio(0));
            assertEquals(List.of(), diagnosis.observe(flat), "summary " + i);
        }
    }

    @Test
    @DisplayName("plateau: the last 20 windows no better than the 20 before, for 10 summaries, and no other cause")
    void plateau() {
        Diagnosis diagnosis = new Diagnosis();
        List<String> raised = new ArrayList<>();
        int raisedOn = 2 * (int) Catalogue.PLATEAU_SPAN.value() + Catalogue.PLATEAU.raiseAfter() - 1;
        for (int i = 1; i <= raisedOn + 10; i++) {
            List<String> now = raised(diagnosis.observe(healthy(0.7)));
            assertEquals(i == raisedOn ? List.of("plateau") : List.of(), now, "summary " + i);
            raised.addAll(now);
        }
        assertEquals(List.of("plateau"), raised);
    }

    @Test
    @DisplayName("plateau: a loss that keeps improving by 0.5% a summary raises nothing")
    void improvingIsNoPlateau() {
        Diagnosis diagnosis = new Diagnosis();
        double loss = 2.0;
        for (int i = 0; i < 100; i++) {
            assertEquals(List.of(), diagnosis.observe(healthy(loss *= 0.995)), "summary " + i);
        }
    }

    @Test
    @DisplayName("every rule has an explanation and a fix that print each of its thresholds' values, and a severity")
    void catalogue() {
        assertEquals(10, Catalogue.ALL.size());
        for (Rule rule : Catalogue.ALL) {
            assertTrue(!rule.explanation().isBlank() && !rule.fix().isBlank(), rule.name());
            for (Threshold threshold : rule.thresholds()) {
                assertTrue((rule.explanation() + rule.fix()).contains(threshold.formatted()),
                        rule.name() + " never shows " + threshold);
            }
            assertEquals(rule, Catalogue.find(rule.name()).orElseThrow());
        }
        assertEquals(Severity.INFO, Catalogue.PLATEAU.severity());
        assertEquals(Severity.WARNING, Catalogue.CONCEPT_DRIFT.severity());
        assertEquals(Catalogue.CAUSES, Catalogue.ALL.subList(0, Catalogue.ALL.size() - 1));
    }

    @Test
    @DisplayName("thresholds print as the explanations show them")
    void thresholdFormat() {
        assertEquals("0.1", new Threshold("t", 0.1).formatted());
        assertEquals("1e3", new Threshold("t", 1e3).formatted());
        assertEquals("1e-3", new Threshold("t", 1e-3).formatted());
        assertEquals("1e-6", new Threshold("t", 1e-6).formatted());
        assertEquals("20", new Threshold("t", 20).formatted());
        assertTrue(Catalogue.EXPLODING.explanation().contains("more than 0.1 of their norm"),
                Catalogue.EXPLODING.explanation());
    }
}
