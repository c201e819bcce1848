package dev.streamlearn.cli;

import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.learner.LiveModel;
import dev.streamlearn.learner.TestSet;
import dev.streamlearn.learner.Variant;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.OnlineTrainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a sweep left, a row per variant (and partition), best first: the steps, the prequential accuracy (MAE and
 * RMSE for numbers) and loss moving average since the first step, the held-out accuracy when there is a test split,
 * the updates skipped and the active alerts. Printed by {@code learn --sweep} when it stops.
 */
record Leaderboard(List<Row> rows) {

    record Row(String variant, int partition, long steps, Double accuracy, Double mae, Double rmse, double lossEma,
               Double testAccuracy, long skipped, List<String> alerts) {
    }

    /** The rows of the variants this instance trained, each variant judged on the test split when it is not empty. */
    static Leaderboard of(List<Variant> variants, List<LiveModel> live, TestSet test) {
        List<Row> rows = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            LiveModel model = live.get(v);
            for (int partition : model.partitions()) {
                OnlineTrainer trainer = model.trainer(partition).orElseThrow();
                RunReport.Prequential prequential = RunReport.Prequential.of(trainer);
                Double testAccuracy = test == null || test.size() == 0 || prequential.accuracy() == null ? null
                        : new BatchEvaluator(trainer.network(), 1000).accuracy(test.inputs(), test.labels());
                LiveModel.Progress progress = model.progress(partition).orElseThrow();
                rows.add(new Row(variants.get(v).name(), partition, trainer.updates(), prequential.accuracy(),
                        prequential.mae(), prequential.rmse(), trainer.window().lossEma(), testAccuracy,
                        progress.skipped(), progress.activeAlerts().stream().map(Catalogue::withSeverity).toList()));
            }
        }
        rows.sort(Comparator.comparingDouble((Row row) -> row.accuracy() != null ? -row.accuracy() : row.mae()));
        return new Leaderboard(rows);
    }

    String text() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n== leaderboard (best first) ==%n"
                + "%-36s %9s %9s %9s %9s %9s %8s  %s%n", "variant", "partition", "steps", "accuracy", "loss EMA",
                "test", "skipped", "alerts"));
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "%-36s %9d %,9d %9s %9.4f %9s %8d  %s%n", row.variant(),
                    row.partition(), row.steps(), row.accuracy() != null
                            ? String.format(Locale.ROOT, "%.4f", row.accuracy())
                            : String.format(Locale.ROOT, "MAE %.3f", row.mae()), row.lossEma(),
                    row.testAccuracy() == null ? "-" : String.format(Locale.ROOT, "%.4f", row.testAccuracy()),
                    row.skipped(), row.alerts().isEmpty() ? "none" : String.join(", ", row.alerts())));
        }
        return text.toString();
    }
}
