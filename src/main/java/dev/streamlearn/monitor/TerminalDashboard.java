package dev.streamlearn.monitor;

import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.diagnosis.Rule;
import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.DriftDetection;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The terminal view: redrawn in place on every summary. Loss and accuracy with sparklines of the last
 * {@link #HISTORY} summaries, a row per layer (weight std, gradient norm, update ratio, dead and saturated
 * fractions, alert marks), then each active alert with its explanation and fix. Holds a bounded history only.
 */
public final class TerminalDashboard {
    static final int HISTORY = 60;
    private static final String BARS = "▁▂▃▄▅▆▇█";
    private static final String CLEAR_AND_HOME = "\033[H\033[2J";

    private final PrintStream out;
    /** By input partition: each model of a per-partition learner, or each replica of an averaged one. */
    private final Map<Integer, Deque<Double>> losses = new TreeMap<>();
    private final Map<Integer, Deque<Double>> accuracies = new TreeMap<>();
    private final Map<Integer, TrainingSummary> latest = new TreeMap<>();
    /** The last concept drift each partition's learner signalled. */
    private final Map<Integer, DriftDetection> drifts = new TreeMap<>();

    public TerminalDashboard(PrintStream out) {
        this.out = out;
    }

    public void show(TrainingSummary summary) {
        int partition = summary.getInputPartition();
        remember(losses.computeIfAbsent(partition, p -> new ArrayDeque<>()), summary.getLossMean());
        remember(accuracies.computeIfAbsent(partition, p -> new ArrayDeque<>()), summary.getAccuracyWindow());
        latest.put(partition, summary);
        if (summary.getDrift() != null) {
            drifts.put(partition, summary.getDrift());
        }
        out.print(CLEAR_AND_HOME + render(summary));
        out.flush();
    }

    private static void remember(Deque<Double> values, double value) {
        if (values.size() == HISTORY) {
            values.removeFirst();
        }
        values.addLast(value);
    }

    /**
     * The screen after a summary: with several partitions a row per partition first (its latest figures, the averaging
     * round and divergence of an averaged model, its alerts), then the details of the partition just summarised.
     */
    String render(TrainingSummary s) {
        StringBuilder screen = new StringBuilder();
        screen.append(String.format(Locale.ROOT, "streamlearn monitor   %s   %s%n", s.getApplicationId(), s.getModel()));
        if (latest.size() > 1) {
            screen.append(String.format(Locale.ROOT, "%n%-9s %10s %8s %8s %10s %6s %10s  %-20s %s%n", "partition",
                    "step", "loss", "acc", "samples/s", "round", "diverge", "loss", "alerts"));
            latest.forEach((partition, summary) -> screen.append(String.format(Locale.ROOT,
                    "%-9d %,10d %8.4f %8.3f %,10.0f %6s %10s  %-20s %s%n", partition, summary.getLastStep(),
                    summary.getLossMean(), summary.getAccuracyWindow(), summary.getSamplesPerSecond(),
                    summary.getAveraging() == null ? "-" : String.valueOf(summary.getAveraging().getRound()),
                    summary.getAveraging() == null ? "-" : String.format(Locale.ROOT, "%.4f",
                            summary.getAveraging().getRelativeDivergence()),
                    lastOf(sparkline(losses.get(partition)), 20),
                    summary.getAlerts().isEmpty() ? "none" : String.join(", ", summary.getAlerts()))));
            screen.append(String.format(Locale.ROOT, "%npartition %d%n", s.getInputPartition()));
        }
        screen.append(String.format(Locale.ROOT, "step %,d   offset %,d   %,.0f samples/s   lr %.3g%s%n%n",
                s.getLastStep(), s.getLastOffset(), s.getSamplesPerSecond(), s.getLearningRate(),
                s.getTestAccuracy() == null ? "" : String.format(Locale.ROOT, "   test acc %.4f", s.getTestAccuracy())));
        screen.append(String.format(Locale.ROOT, "loss      %8.4f (ema %.4f)  %s%n", s.getLossMean(), s.getLossEma(),
                sparkline(losses.getOrDefault(s.getInputPartition(), new ArrayDeque<>()))));
        screen.append(String.format(Locale.ROOT, "accuracy  %8.3f (cum %.3f)   %s%n%n", s.getAccuracyWindow(),
                s.getAccuracyCumulative(), sparkline(accuracies.getOrDefault(s.getInputPartition(),
                        new ArrayDeque<>()))));
        screen.append(String.format(Locale.ROOT, "%-6s %-10s %10s %10s %11s %7s %7s  %s%n", "layer", "activation",
                "W std", "|grad W|", "update/W", "dead", "sat", "alerts"));
        List<TensorSummary> tensors = s.getTensors();
        for (ActivationSummary layer : s.getActivations()) {
            TensorSummary weights = tensors.get(2 * (layer.getLayer() - 1));
            screen.append(String.format(Locale.ROOT, "%-6d %-10s %10.3e %10.3e %11.2e %6.1f%% %6.1f%%  %s%n",
                    layer.getLayer(), layer.getActivation(), weights.getValues().getStd(),
                    weights.getGradient().getL2Norm(), weights.getUpdateRatio(), 100 * layer.getDeadFraction(),
                    100 * layer.getSaturatedFraction(), weights.getUpdateRatio() > 0
                            && (weights.getUpdateRatio() < 1e-5 || weights.getUpdateRatio() > 0.1) ? "!" : ""));
        }
        DriftDetection drift = drifts.get(s.getInputPartition());
        if (drift != null) {
            screen.append(String.format(Locale.ROOT, "%nlast drift: step %,d, error %.3f -> %.3f, then %s%n",
                    drift.getStep(), drift.getErrorBefore(), drift.getErrorAfter(), drift.getAction()));
        }
        screen.append(System.lineSeparator());
        if (s.getAlerts().isEmpty()) {
            screen.append("no alerts").append(System.lineSeparator());
        }
        for (String alert : s.getAlerts()) {
            Optional<Rule> rule = Catalogue.find(alert);
            screen.append(rule.map(r -> r.severity().toString()).orElse("ALERT")).append(' ').append(alert)
                    .append(System.lineSeparator());
            rule.ifPresent(r -> screen.append("  what: ").append(r.explanation()).append(System.lineSeparator())
                    .append("  fix:  ").append(r.fix()).append(System.lineSeparator()));
        }
        return screen.toString();
    }

    private static String lastOf(String text, int length) {
        return text.length() <= length ? text : text.substring(text.length() - length);
    }

    /** One block character per value, scaled between the smallest and largest finite value shown. */
    static String sparkline(Deque<Double> values) {
        double min = values.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder line = new StringBuilder();
        for (double value : values) {
            if (!Double.isFinite(value)) {
                line.append('!');
            } else {
                int level = max == min ? 0 : (int) Math.round((value - min) / (max - min) * (BARS.length() - 1));
                line.append(BARS.charAt(level));
            }
        }
        return line.toString();
    }
}
