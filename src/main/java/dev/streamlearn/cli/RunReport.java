package dev.streamlearn.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.learner.LiveModel;
import dev.streamlearn.learner.TestSet;
import dev.streamlearn.learner.Variant;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.TrainingWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a training job ({@code run}, or {@code learn --stop-at-end}), printed for people and written as JSON
 * with --report, so a pipeline can check a job without reading topics. Figures that do not apply are null: accuracy
 * for a regression head, MAE and RMSE for a class head, test figures without a held-out set. Alerts are the rules
 * that were active at any summary (for {@code learn}: at the end), each with its severity: "plateau (info)". A sweep
 * reports its variants in the leaderboard, best first; its own figures are then those of the stream (records trained
 * by the variant that trained most, at what rate) and its alerts are each variant's, "lr=0.5: plateau (info)".
 *
 * @param job run or learn
 * @param runId the run's id (for learn, the application id)
 * @param trainSamples records trained (updates applied)
 * @param unlabelled records with no target: counted, not trained
 * @param deadLetters records refused and updates skipped
 * @param leaderboard a sweep's variants, best first; null for one model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunReport(String job, String runId, String applicationId, String model, String modelConfig, long trainSamples,
                 long unlabelled, long deadLetters, double seconds, double samplesPerSecond, Double prequentialLoss,
                 Double prequentialAccuracy, Double prequentialMae, Double prequentialRmse, Double testAccuracy,
                 long testSamples, Long monitorRecords, List<String> alerts, String topicPrefix,
                 String bootstrapServers, List<Leaderboard.Row> leaderboard) {

    /**
     * The prequential figures of a trainer since its first step: the mean loss (null when it was restored from a
     * snapshot that did not keep it), and accuracy for a class head, MAE and RMSE for a numeric one.
     */
    record Prequential(Double loss, Double accuracy, Double mae, Double rmse) {
        static Prequential of(OnlineTrainer trainer) {
            TrainingWindow window = trainer.window();
            Double loss = Double.isFinite(window.cumulativeLossMean()) ? window.cumulativeLossMean() : null;
            return window.numeric()
                    ? new Prequential(loss, null, window.cumulativeMeanAbsoluteError(),
                            window.cumulativeRootMeanSquaredError())
                    : new Prequential(loss, window.cumulativeAccuracy(), null, null);
        }
    }

    /**
     * The report of a job that trained these variants (one, or a sweep's) of config on its stream.
     *
     * @param test the held-out split, or null without one
     * @param monitorRecords summaries read while training, or null when the job did not read them
     * @param alerts the alerts to report, each with its severity (and for a sweep its variant's name)
     */
    static RunReport of(String job, String runId, LearnerConfig config, List<Variant> variants, List<LiveModel> live,
                        TestSet test, double seconds, Long monitorRecords, List<String> alerts,
                        String bootstrapServers) {
        long testSamples = test == null ? 0 : test.size();
        if (variants.size() == 1) {
            OnlineTrainer trainer = live.get(0).trainer().orElseThrow(
                    () -> new IllegalStateException("the learner never started a model"));
            LiveModel.Progress progress = live.get(0).progress().orElseThrow();
            Prequential prequential = Prequential.of(trainer);
            Double testAccuracy = testSamples == 0 || prequential.accuracy() == null ? null
                    : new BatchEvaluator(trainer.network(), 1000).accuracy(test.inputs(), test.labels());
            return new RunReport(job, runId, config.applicationId(), trainer.config().name(),
                    trainer.config().describe(), trainer.updates(), progress.unlabelled(),
                    progress.rejected() + progress.skipped(), seconds, trainer.updates() / seconds,
                    prequential.loss(), prequential.accuracy(), prequential.mae(), prequential.rmse(), testAccuracy,
                    testAccuracy == null ? 0 : testSamples, monitorRecords, alerts, config.topics().prefix(),
                    bootstrapServers, null);
        }
        long trained = 0;
        long skipped = 0;
        for (LiveModel model : live) {
            trained = Math.max(trained, model.trainer().orElseThrow().updates());
            skipped += model.progress().orElseThrow().skipped();
        }
        LiveModel.Progress first = live.get(0).progress().orElseThrow();
        return new RunReport(job, runId, config.applicationId(), config.model().name(),
                config.model().describe() + ", " + variants.size() + " variants", trained, first.unlabelled(),
                first.rejected() + skipped, seconds, trained / seconds, null, null, null, null, null, testSamples,
                monitorRecords, alerts, config.topics().prefix(), bootstrapServers,
                Leaderboard.of(variants, live, test).rows());
    }

    void write(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }

    String text() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n== streamlearn %s %s ==%n"
                        + "model                 %s%n"
                        + "train samples         %,d in %.1f s (%,.0f samples/s through Kafka)%n",
                job, runId, model, trainSamples, seconds, samplesPerSecond));
        if (prequentialLoss != null) {
            text.append(String.format(Locale.ROOT, "prequential loss      %.4f%n", prequentialLoss));
        }
        if (prequentialAccuracy != null) {
            text.append(String.format(Locale.ROOT, "prequential accuracy  %.4f%n", prequentialAccuracy));
        }
        if (prequentialMae != null) {
            text.append(String.format(Locale.ROOT, "prequential MAE       %.4g (RMSE %.4g)%n", prequentialMae,
                    prequentialRmse));
        }
        if (testAccuracy != null) {
            text.append(String.format(Locale.ROOT, "test accuracy         %.4f on %,d samples%n", testAccuracy,
                    testSamples));
        }
        if (monitorRecords != null) {
            text.append(String.format(Locale.ROOT, "monitor records       %,d%n", monitorRecords));
        }
        if (unlabelled > 0) {
            text.append(String.format(Locale.ROOT, "unlabelled            %,d%n", unlabelled));
        }
        text.append(String.format(Locale.ROOT, "dead letters          %,d%n"
                        + "alerts                %s%n"
                        + "topics                %s* on %s%n",
                deadLetters, alerts.isEmpty() ? "none" : String.join(", ", alerts), topicPrefix, bootstrapServers));
        if (leaderboard != null) {
            text.append(new Leaderboard(leaderboard).text());
        }
        return text.toString();
    }
}
