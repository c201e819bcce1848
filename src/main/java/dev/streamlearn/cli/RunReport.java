package dev.streamlearn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code run}, printed for people and written as JSON with --report. Alerts are the rules that were
 * active at any summary, each with its severity: "plateau (info)".
 */
record RunReport(String runId, String applicationId, String model, String modelConfig, long trainSamples,
                 double seconds, double samplesPerSecond, double prequentialAccuracy, double testAccuracy,
                 long testSamples, long monitorRecords, long deadLetters, List<String> alerts, String topicPrefix,
                 String bootstrapServers) {

    void write(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }

    String text() {
        return String.format(Locale.ROOT, "%n== streamlearn run %s ==%n"
                        + "model                 %s%n"
                        + "train samples         %,d in %.1f s (%,.0f samples/s through Kafka)%n"
                        + "prequential accuracy  %.4f%n"
                        + "test accuracy         %.4f on %,d samples%n"
                        + "monitor records       %,d%n"
                        + "dead letters          %,d%n"
                        + "alerts                %s%n"
                        + "topics                %s* on %s%n",
                runId, model, trainSamples, seconds, samplesPerSecond, prequentialAccuracy, testAccuracy, testSamples,
                monitorRecords, deadLetters, alerts.isEmpty() ? "none" : String.join(", ", alerts), topicPrefix,
                bootstrapServers);
    }
}
