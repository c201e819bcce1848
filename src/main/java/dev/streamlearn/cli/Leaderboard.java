package dev.streamlearn.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.streamlearn.avro.RegressionSummary;
import dev.streamlearn.avro.TrainingSummary;
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
 * What a sweep left, a row per variant (and partition), best first: the steps; the prequential figures of the last
 * summary's window and since the first step (mean loss, and accuracy for classes or MAE and RMSE for numbers) and the
 * loss moving average; the held-out figures when there is a test split; the updates skipped and the active alerts. Printed by
 * {@code learn --sweep} and {@code run --sweep} when they stop, and part of their JSON report.
 */
record Leaderboard(List<Row> rows) {

    /** One model's figures; those that do not apply to its head, or that were not measured, are null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(String variant, int partition, long steps, Double windowLoss, Double windowAccuracy, Double windowMae,
               Double windowRmse, Double loss, Double accuracy, Double mae, Double rmse, double lossEma,
               Double testAccuracy, Double testMae, Double testRmse, long skipped, List<String> alerts) {

        /** Classes by cumulative accuracy, higher first; numbers by cumulative MAE, lower first. */
        double badness() {
            return accuracy != null ? -accuracy : mae;
        }
    }

    /** The rows of the variants this instance trained, each judged on the test split when it is not empty. */
    static Leaderboard of(List<Variant> variants, List<LiveModel> live, TestSet test) {
        List<Row> rows = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            LiveModel model = live.get(v);
            for (int partition : model.partitions()) {
                rows.add(row(variants.get(v).name(), partition, model.trainer(partition).orElseThrow(),
                        model.progress(partition).orElseThrow(), test));
            }
        }
        rows.sort(Comparator.comparingDouble(Row::badness));
        return new Leaderboard(rows);
    }

    private static Row row(String variant, int partition, OnlineTrainer trainer, LiveModel.Progress progress,
                           TestSet test) {
        RunReport.Prequential prequential = RunReport.Prequential.of(trainer);
        boolean numeric = prequential.accuracy() == null;
        TrainingSummary last = progress.lastSummary();
        RegressionSummary lastErrors = last == null ? null : last.getRegression();
        Double testAccuracy = null;
        Double testMae = null;
        Double testRmse = null;
        if (test != null && test.size() > 0) {
            BatchEvaluator evaluator = new BatchEvaluator(trainer.network(), 1000);
            if (!numeric) {
                testAccuracy = evaluator.accuracy(test.inputs(), test.labels());
            } else if (test.targets() != null) {
                BatchEvaluator.Errors errors = evaluator.errors(test.inputs(), test.targets());
                testMae = errors.mae();
                testRmse = errors.rmse();
            }
        }
        return new Row(variant, partition, trainer.updates(), last == null ? null : last.getLossMean(),
                last == null || numeric ? null : last.getAccuracyWindow(),
                lastErrors == null ? null : lastErrors.getMaeWindow(),
                lastErrors == null ? null : lastErrors.getRmseWindow(), prequential.loss(), prequential.accuracy(),
                prequential.mae(), prequential.rmse(), trainer.window().lossEma(), testAccuracy, testMae, testRmse, progress.skipped(),
                progress.activeAlerts().stream().map(Catalogue::withSeverity).toList());
    }

    /** A row a line, its figure columns as wide as their widest cell. */
    String text() {
        List<String[]> figures = new ArrayList<>();
        int width = "cumulative".length();
        for (Row row : rows) {
            String[] cells = {withLoss(figures(row.windowAccuracy(), row.windowMae(), row.windowRmse()),
                    row.windowLoss()), withLoss(figures(row.accuracy(), row.mae(), row.rmse()), row.loss()),
                    figures(row.testAccuracy(), row.testMae(), row.testRmse())};
            figures.add(cells);
            for (String cell : cells) {
                width = Math.max(width, cell.length());
            }
        }
        String line = "%-36s %9s %9s %" + width + "s %" + width + "s %9s %" + width + "s %8s  %s%n";
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n== leaderboard (best first; window = the "
                + "last summary's) ==%n" + line, "variant", "partition", "steps", "window", "cumulative", "loss EMA",
                "test", "skipped", "alerts"));
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            String[] cells = figures.get(r);
            text.append(String.format(Locale.ROOT, line, row.variant(), row.partition(),
                    String.format(Locale.ROOT, "%,d", row.steps()), cells[0], cells[1],
                    String.format(Locale.ROOT, "%.4f", row.lossEma()), cells[2], row.skipped(),
                    row.alerts().isEmpty() ? "none" : String.join(", ", row.alerts())));
        }
        return text.toString();
    }

    /** "acc 0.9012 loss 0.3120": the figures and the mean loss, when known. */
    private static String withLoss(String figures, Double loss) {
        return loss == null ? figures : figures + String.format(Locale.ROOT, " loss %.4f", loss);
    }

    /** "acc 0.9012", "MAE 0.31 RMSE 0.42", or "-" when not measured. */
    private static String figures(Double accuracy, Double mae, Double rmse) {
        if (accuracy != null) {
            return String.format(Locale.ROOT, "acc %.4f", accuracy);
        }
        return mae == null ? "-" : String.format(Locale.ROOT, "MAE %.3g RMSE %.3g", mae, rmse);
    }
}
