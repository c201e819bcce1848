package dev.streamlearn.monitor;

import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Runs the rules over each new summary and reports transitions: an alert is raised when its rule starts to hold and
 * cleared when it stops, never repeated while active. The plateau rule only speaks when no other rule does, so the
 * diagnosis names a cause rather than its symptom.
 */
public final class Diagnosis {
    static {
        AvroTrust.install();
    }

    private final List<Rule> rules = Rules.all();
    private final Rule plateau = new Rules.Plateau();
    private final Map<String, Rule> rulesByName = new LinkedHashMap<>();
    private final SummaryHistory history = new SummaryHistory();
    private final Map<String, Alert> active = new LinkedHashMap<>();

    public Diagnosis() {
        for (Rule rule : rules) {
            rulesByName.put(rule.name(), rule);
        }
        rulesByName.put(plateau.name(), plateau);
    }

    /** Takes the next summary; returns the alerts raised or cleared by it. */
    public List<Alert> observe(TrainingSummary summary) {
        history.add(summary);
        Map<String, OptionalInt> holding = new LinkedHashMap<>();
        for (Rule rule : rules) {
            OptionalInt layer = rule.evaluate(summary, history);
            if (layer.isPresent()) {
                holding.put(rule.name(), layer);
            }
        }
        if (holding.isEmpty()) {
            OptionalInt layer = plateau.evaluate(summary, history);
            if (layer.isPresent()) {
                holding.put(plateau.name(), layer);
            }
        }
        List<Alert> transitions = new ArrayList<>();
        for (String name : new ArrayList<>(active.keySet())) {
            if (!holding.containsKey(name)) {
                Alert cleared = Alert.newBuilder(active.remove(name)).setState(AlertState.CLEARED)
                        .setStep(summary.getLastStep()).build();
                transitions.add(cleared);
            }
        }
        for (Map.Entry<String, OptionalInt> entry : holding.entrySet()) {
            if (!active.containsKey(entry.getKey())) {
                Rule rule = rulesByName.get(entry.getKey());
                int layer = entry.getValue().getAsInt();
                Alert raised = Alert.newBuilder().setRule(rule.name()).setState(AlertState.RAISED)
                        .setStep(summary.getLastStep()).setLayer(layer == 0 ? null : layer)
                        .setExplanation(rule.explanation()).setFix(rule.fix()).build();
                active.put(rule.name(), raised);
                transitions.add(raised);
            }
        }
        return transitions;
    }

    /** Names of the rules that hold now, in rule order. */
    public List<String> activeRules() {
        return List.copyOf(active.keySet());
    }

    /** Every rule's name, explanation and fix, for documentation and the dashboard. */
    public static List<String[]> catalogue() {
        List<String[]> entries = new ArrayList<>();
        for (Rule rule : Rules.all()) {
            entries.add(new String[] {rule.name(), rule.explanation(), rule.fix()});
        }
        Rule plateau = new Rules.Plateau();
        entries.add(new String[] {plateau.name(), plateau.explanation(), plateau.fix()});
        return entries;
    }
}
