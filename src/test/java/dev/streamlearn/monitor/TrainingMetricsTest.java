package dev.streamlearn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.streamlearn.avro.RegressionSummary;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: the latest summary of each model, a series per learner id and partition. */
class TrainingMetricsTest {

    private static Map<String, Double> scrape(TrainingMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .collect(Collectors.toMap(line -> line.substring(0, line.lastIndexOf(' ')),
                        line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))));
    }

    /** A series' name as the text format writes it: labels sorted by name; labels given as name, value, ... */
    private static String series(String name, String... labels) {
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        return name + sorted.entrySet().stream().map(label -> label.getKey() + "=\"" + label.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    @Test
    @DisplayName("two variants and two partitions are four models, each with its own step, losses, accuracy and "
            + "alerts")
    void aSeriesPerModel() throws IOException {
        TrainingMetrics metrics = new TrainingMetrics();
        for (String variant : List.of("sweep/lr=0.1", "sweep/lr=0.01")) {
            for (int partition = 0; partition < 2; partition++) {
                TrainingSummary summary = Fixtures.summary(1_000 + 100 * partition);
                summary.setApplicationId(variant);
                summary.setInputPartition(partition);
                summary.setLossEma(variant.endsWith("0.1") ? 2.5 : 0.25);
                summary.setLossCumulative(variant.endsWith("0.1") ? 3.5 : 0.5);
                summary.setAlerts(variant.endsWith("0.1") ? List.of("dead-relu") : List.of());
                metrics.update(summary);
            }
        }
        Map<String, Double> samples = scrape(metrics);
        for (String variant : List.of("sweep/lr=0.1", "sweep/lr=0.01")) {
            for (int partition = 0; partition < 2; partition++) {
                String[] model = {"learner", variant, "partition", String.valueOf(partition)};
                String what = variant + " p" + partition;
                assertEquals(1_000 + 100 * partition, samples.get(series("streamlearn_step", model)), what);
                assertEquals(variant.endsWith("0.1") ? 2.5 : 0.25, samples.get(series("streamlearn_loss",
                        concat(model, "kind", "ema"))), what);
                assertEquals(variant.endsWith("0.1") ? 3.5 : 0.5, samples.get(series("streamlearn_loss",
                        concat(model, "kind", "cumulative"))), what);
                assertEquals(0.9, samples.get(series("streamlearn_accuracy", concat(model, "kind", "window"))), what);
                assertEquals(variant.endsWith("0.1") ? 1 : 0, samples.get(series("streamlearn_alert_active",
                        concat(model, "rule", "dead-relu", "severity", "warning"))), what);
            }
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    @DisplayName("a numeric head has MAE and RMSE (window, cumulative, held-out) and no accuracy")
    void numericHead() throws IOException {
        TrainingMetrics metrics = new TrainingMetrics();
        TrainingSummary summary = Fixtures.summary(500);
        summary.setAccuracyWindow(Double.NaN);
        summary.setAccuracyCumulative(Double.NaN);
        summary.setRegression(RegressionSummary.newBuilder().setMaeWindow(0.5).setRmseWindow(0.75)
                .setMaeCumulative(1.5).setRmseCumulative(1.75).setEstimateStd(1).setTargetStd(1).setTestMae(0.25)
                .setTestRmse(0.375).setRecentEstimates(List.of()).setRecentTargets(List.of()).build());
        metrics.update(summary);
        Map<String, Double> samples = scrape(metrics);
        for (String kind : List.of("window", "cumulative", "test")) {
            for (String measure : List.of("mae", "rmse")) {
                double expected = switch (kind) {
                    case "window" -> measure.equals("mae") ? 0.5 : 0.75;
                    case "cumulative" -> measure.equals("mae") ? 1.5 : 1.75;
                    default -> measure.equals("mae") ? 0.25 : 0.375;
                };
                assertEquals(expected, samples.get(series("streamlearn_error", "learner", "app", "partition", "0",
                        "measure", measure, "kind", kind)), measure + " " + kind);
            }
        }
        assertFalse(samples.keySet().stream().anyMatch(name -> name.startsWith("streamlearn_accuracy")), samples::toString);
    }
}
