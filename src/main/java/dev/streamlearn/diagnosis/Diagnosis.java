package dev.streamlearn.diagnosis;

import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.avro.ActiveAlert;
import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.DiagnosisState;
import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Runs the {@link Catalogue} over each new summary and reports transitions: an alert is raised once its rule has held
 * for its {@link Rule#raiseAfter()} summaries running, and cleared once it has not held for its
 * {@link Rule#clearAfter()} running, never repeated while active; so one noisy window neither raises nor clears an
 * alert. The plateau rule only speaks when no other rule holds, so the diagnosis names a cause rather than its
 * symptom.
 */
public final class Diagnosis {
    static {
        AvroTrust.install();
    }

    private final Map<String, Rule> rulesByName = new LinkedHashMap<>();
    private final SummaryHistory history = new SummaryHistory();
    private final Map<String, Alert> active = new LinkedHashMap<>();
    /** Per rule: summaries running that it held (positive) or did not hold (negative). */
    private final Map<String, Integer> streaks = new LinkedHashMap<>();

    public Diagnosis() {
        for (Rule rule : Catalogue.ALL) {
            rulesByName.put(rule.name(), rule);
        }
        for (String name : rulesByName.keySet()) {
            streaks.put(name, 0);
        }
    }

    /** Takes the next summary; returns the alerts raised or cleared by it. */
    public List<Alert> observe(TrainingSummary summary) {
        history.add(summary);
        Map<String, OptionalInt> holding = new LinkedHashMap<>();
        for (Rule rule : Catalogue.CAUSES) {
            OptionalInt layer = rule.evaluate(summary, history);
            if (layer.isPresent()) {
                holding.put(rule.name(), layer);
            }
        }
        if (holding.isEmpty()) {
            OptionalInt layer = Catalogue.PLATEAU.evaluate(summary, history);
            if (layer.isPresent()) {
                holding.put(Catalogue.PLATEAU.name(), layer);
            }
        }
        for (Map.Entry<String, Integer> streak : streaks.entrySet()) {
            int previous = streak.getValue();
            streak.setValue(holding.containsKey(streak.getKey()) ? Math.max(previous, 0) + 1
                    : Math.min(previous, 0) - 1);
        }
        List<Alert> transitions = new ArrayList<>();
        for (String name : new ArrayList<>(active.keySet())) {
            if (streaks.get(name) <= -rulesByName.get(name).clearAfter()) {
                Alert cleared = Alert.newBuilder(active.remove(name)).setState(AlertState.CLEARED)
                        .setStep(summary.getLastStep()).build();
                transitions.add(cleared);
            }
        }
        for (Map.Entry<String, OptionalInt> entry : holding.entrySet()) {
            Rule rule = rulesByName.get(entry.getKey());
            if (!active.containsKey(rule.name()) && streaks.get(rule.name()) >= rule.raiseAfter()) {
                int layer = entry.getValue().getAsInt();
                Alert raised = raised(rule, summary.getLastStep(), layer == 0 ? null : layer);
                active.put(rule.name(), raised);
                transitions.add(raised);
            }
        }
        return transitions;
    }

    /** Everything the next transitions depend on: active alerts, streaks and the loss history. */
    public DiagnosisState state() {
        List<ActiveAlert> raised = new ArrayList<>(active.size());
        for (Alert alert : active.values()) {
            raised.add(new ActiveAlert(alert.getRule(), alert.getStep(), alert.getLayer()));
        }
        DiagnosisState.Builder state = DiagnosisState.newBuilder().setActive(raised).setStreaks(new LinkedHashMap<>(streaks));
        history.saveTo(state);
        return state.build();
    }

    /**
     * A diagnosis that goes on from a saved state. Rules the state does not know start with no streak; rules it names
     * that no longer exist are dropped.
     */
    public static Diagnosis restore(DiagnosisState state) {
        Diagnosis diagnosis = new Diagnosis();
        for (Map.Entry<String, Integer> streak : state.getStreaks().entrySet()) {
            diagnosis.streaks.computeIfPresent(streak.getKey(), (name, none) -> streak.getValue());
        }
        for (ActiveAlert saved : state.getActive()) {
            Rule rule = diagnosis.rulesByName.get(saved.getRule());
            if (rule != null) {
                diagnosis.active.put(rule.name(), raised(rule, saved.getStep(), saved.getLayer()));
            }
        }
        diagnosis.history.restore(state);
        return diagnosis;
    }

    private static Alert raised(Rule rule, long step, Integer layer) {
        return Alert.newBuilder().setRule(rule.name()).setState(AlertState.RAISED).setStep(step).setLayer(layer)
                .setExplanation(rule.explanation()).setFix(rule.fix()).setSeverity(rule.severity()).build();
    }

    /** Names of the rules that hold now, in rule order. */
    public List<String> activeRules() {
        return List.copyOf(active.keySet());
    }
}
