package dev.streamlearn.monitor;

import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.diagnosis.Rule;
import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.DriftDetection;
import dev.streamlearn.avro.RegressionSummary;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Comparator;
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
    /**
     * By model: a learner's (variant's) id and input partition, so each variant of a sweep, each model of a
     * per-partition learner and each replica of an averaged one has its own row.
     */
    private final Map<String, Deque<Double>> losses = new TreeMap<>();
    private final Map<String, Deque<Double>> accuracies = new TreeMap<>();
    private final Map<String, TrainingSummary> latest = new TreeMap<>();
    /** The last concept drift each model's learner signalled. */
    private final Map<String, DriftDetection> drifts = new TreeMap<>();

    public TerminalDashboard(PrintStream out) {
        this.out = out;
    }

    public void show(TrainingSummary summary) {
        String model = modelOf(summary);
        remember(losses.computeIfAbsent(model, m -> new ArrayDeque<>()), summary.getLossMean());
        remember(accuracies.computeIfAbsent(model, m -> new ArrayDeque<>()), summary.getAccuracyWindow());
        latest.put(model, summary);
        if (summary.getDrift() != null) {
            drifts.put(model, summary.getDrift());
        }
        out.print(CLEAR_AND_HOME + render(summary));
        out.flush();
    }

    /** The model a summary is of: its learner's id and its input partition. */
    private static String modelOf(TrainingSummary summary) {
        return summary.getApplicationId() + " p" + summary.getInputPartition();
    }

    private static void remember(Deque<Double> values, double value) {
        if (values.size() == HISTORY) {
            values.removeFirst();
        }
        values.addLast(value);
    }

    /**
     * The screen after a summary: with several models (variants of a sweep, partitions) a leaderboard first, a row per
     * model, lowest loss EMA first (its latest window loss and accuracy, cumulative accuracy and held-out accuracy,
     * or a numeric head's MAE and RMSE of each, the averaging round and divergence of an averaged model, a loss
     * sparkline, its alerts), then the details of the model just summarised.
     */
    String render(TrainingSummary s) {
        StringBuilder screen = new StringBuilder();
        screen.append(String.format(Locale.ROOT, "streamlearn monitor   %s   %s%n", s.getApplicationId(), s.getModel()));
        if (latest.size() > 1) {
            screen.append(String.format(Locale.ROOT, "%n%-28s %10s %8s %8s %8s %-21s %-21s %-21s %10s %6s %8s  %-20s %s%n",
                    "model", "step", "loss", "ema", "cum loss", "window", "cumulative", "test", "samples/s", "round", "diverge",
                    "loss", "alerts"));
            latest.entrySet().stream()
                    .sorted(Comparator.comparingDouble(entry -> entry.getValue().getLossEma()))
                    .forEach(entry -> {
                        TrainingSummary summary = entry.getValue();
                        RegressionSummary errors = summary.getRegression();
                        screen.append(String.format(Locale.ROOT,
                                "%-28s %,10d %8.4f %8.4f %8s %-21s %-21s %-21s %,10.0f %6s %8s  %-20s %s%n",
                                lastOf(entry.getKey(), 28), summary.getLastStep(), summary.getLossMean(),
                                summary.getLossEma(), summary.getLossCumulative() == null ? "-"
                                        : String.format(Locale.ROOT, "%.4f", summary.getLossCumulative()),
                                errors == null ? figure(summary.getAccuracyWindow())
                                        : figures(errors.getMaeWindow(), errors.getRmseWindow()),
                                errors == null ? figure(summary.getAccuracyCumulative())
                                        : figures(errors.getMaeCumulative(), errors.getRmseCumulative()),
                                errors == null ? figure(summary.getTestAccuracy())
                                        : figures(errors.getTestMae(), errors.getTestRmse()),
                                summary.getSamplesPerSecond(),
                                summary.getAveraging() == null ? "-" : String.valueOf(summary.getAveraging().getRound()),
                                summary.getAveraging() == null ? "-" : String.format(Locale.ROOT, "%.4f",
                                        summary.getAveraging().getRelativeDivergence()),
                                lastOf(sparkline(losses.get(entry.getKey())), 20),
                                summary.getAlerts().isEmpty() ? "none" : String.join(", ", summary.getAlerts())));
                    });
            screen.append(String.format(Locale.ROOT, "%n%s%n", modelOf(s)));
        }
        screen.append(String.format(Locale.ROOT, "step %,d   offset %,d   %,.0f samples/s   lr %.3g%s%n%n",
                s.getLastStep(), s.getLastOffset(), s.getSamplesPerSecond(), s.getLearningRate(),
                s.getTestAccuracy() == null ? "" : String.format(Locale.ROOT, "   test acc %.4f", s.getTestAccuracy())));
        screen.append(String.format(Locale.ROOT, "loss      %8.4f (ema %.4f)  %s%n", s.getLossMean(), s.getLossEma(),
                sparkline(losses.getOrDefault(modelOf(s), new ArrayDeque<>()))));
        RegressionSummary errors = s.getRegression();
        if (errors == null) {
            screen.append(String.format(Locale.ROOT, "accuracy  %8.3f (cum %.3f)   %s%n%n", s.getAccuracyWindow(),
                    s.getAccuracyCumulative(), sparkline(accuracies.getOrDefault(modelOf(s), new ArrayDeque<>()))));
        } else {
            screen.append(String.format(Locale.ROOT, "MAE       %8.4g (cum %.4g)   RMSE %.4g (cum %.4g)%n%n",
                    errors.getMaeWindow(), errors.getMaeCumulative(), errors.getRmseWindow(),
                    errors.getRmseCumulative()));
        }
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
        DriftDetection drift = drifts.get(modelOf(s));
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

    /** A class head's accuracy in a leaderboard cell, or "-" when not measured. */
    private static String figure(Double accuracy) {
        return accuracy == null ? "-" : String.format(Locale.ROOT, "acc %.3f", accuracy);
    }

    /** A numeric head's errors in a leaderboard cell, or "-" when not measured. */
    private static String figures(Double mae, Double rmse) {
        return mae == null ? "-" : String.format(Locale.ROOT, "MAE %.3g RMSE %.3g", mae, rmse);
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
