package dev.streamlearn.serving;

import dev.streamlearn.learner.InputFormat;

/**
 * What a streaming-inference application needs besides Kafka's client settings.
 *
 * @param applicationId Kafka Streams application id: instances that share it share the input's partitions
 * @param inputTopic the features topic (Sample or Features records, or JSON objects; any number of partitions)
 * @param inputFormat how the input's records are written
 * @param predictionsTopic where each accepted record's {@link dev.streamlearn.avro.Prediction} goes
 * @param deadLetterTopic where each record that cannot be predicted goes, with its reason
 * @param top how many of the most probable classes a prediction lists, >= 1
 */
public record InferenceConfig(String applicationId, String inputTopic, InputFormat inputFormat,
                              String predictionsTopic, String deadLetterTopic, int top) {
    public InferenceConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id is empty");
        }
        if (inputTopic.equals(predictionsTopic) || inputTopic.equals(deadLetterTopic)
                || predictionsTopic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("the input topic " + inputTopic + ", the predictions topic "
                    + predictionsTopic + " and the dead-letter topic " + deadLetterTopic + " must differ");
        }
        if (top < 1) {
            throw new IllegalArgumentException("top is " + top + ", expected >= 1");
        }
    }
}
