package dev.streamlearn.monitor;

import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.diagnosis.Rule;
import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
    private final Deque<Double> losses = new ArrayDeque<>();
    private final Deque<Double> accuracies = new ArrayDeque<>();

    public TerminalDashboard(PrintStream out) {
        this.out = out;
    }

    public void show(TrainingSummary summary) {
        remember(losses, summary.getLossMean());
        remember(accuracies, summary.getAccuracyWindow());
        out.print(CLEAR_AND_HOME + render(summary));
        out.flush();
    }

    private static void remember(Deque<Double> values, double value) {
        if (values.size() == HISTORY) {
            values.removeFirst();
        }
        values.addLast(value);
    }

    String render(TrainingSummary s) {
        StringBuilder screen = new StringBuilder();
        screen.append(String.format(Locale.ROOT, "streamlearn monitor   %s   %s%n", s.getApplicationId(), s.getModel()));
        screen.append(String.format(Locale.ROOT, "step %,d   offset %,d   %,.0f samples/s   lr %.3g%s%n%n",
                s.getLastStep(), s.getLastOffset(), s.getSamplesPerSecond(), s.getLearningRate(),
                s.getTestAccuracy() == null ? "" : String.format(Locale.ROOT, "   test acc %.4f", s.getTestAccuracy())));
        screen.append(String.format(Locale.ROOT, "loss      %8.4f (ema %.4f)  %s%n", s.getLossMean(), s.getLossEma(),
                sparkline(losses)));
        screen.append(String.format(Locale.ROOT, "accuracy  %8.3f (cum %.3f)   %s%n%n", s.getAccuracyWindow(),
                s.getAccuracyCumulative(), sparkline(accuracies)));
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
