package dev.streamlearn.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
 * that were active at any summary (for {@code learn}: at the end), each with its severity: "plateau (info)".
 *
 * @param job run or learn
 * @param runId the run's id (for learn, the application id)
 * @param trainSamples records trained (updates applied)
 * @param unlabelled records with no target: counted, not trained
 * @param deadLetters records refused and updates skipped
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunReport(String job, String runId, String applicationId, String model, String modelConfig, long trainSamples,
                 long unlabelled, long deadLetters, double seconds, double samplesPerSecond,
                 Double prequentialAccuracy, Double prequentialMae, Double prequentialRmse, Double testAccuracy,
                 long testSamples, Long monitorRecords, List<String> alerts, String topicPrefix,
                 String bootstrapServers) {

    /** The prequential figures of a trainer: accuracy for a class head, MAE and RMSE for a numeric one. */
    record Prequential(Double accuracy, Double mae, Double rmse) {
        static Prequential of(OnlineTrainer trainer) {
            TrainingWindow window = trainer.window();
            return window.numeric()
                    ? new Prequential(null, window.cumulativeMeanAbsoluteError(),
                            window.cumulativeRootMeanSquaredError())
                    : new Prequential(window.cumulativeAccuracy(), null, null);
        }
    }

    void write(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }

    String text() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n== streamlearn %s %s ==%n"
                        + "model                 %s%n"
                        + "train samples         %,d in %.1f s (%,.0f samples/s through Kafka)%n",
                job, runId, model, trainSamples, seconds, samplesPerSecond));
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
        return text.toString();
    }
}
