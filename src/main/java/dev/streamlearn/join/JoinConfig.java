package dev.streamlearn.join;

import dev.streamlearn.learner.InputFormat;
import java.time.Duration;

/**
 * What a label join needs besides Kafka's client settings.
 *
 * @param applicationId Kafka Streams application id
 * @param featuresTopic records to label (Sample or Features, or JSON objects), keyed as their labels
 * @param labelsTopic labels ({@code Label} records, or JSON objects with "label" or "target"), keyed as their features
 * @param format how both input topics' records are written
 * @param within how far apart (record time) features and their label may be to be joined, > 0
 * @param trainingTopic where labelled records go (one partition)
 * @param unlabelledTopic where features whose label did not arrive within the window go, or null to only count them
 * @param deadLetterTopic where records that are neither features nor labels go, with the reason
 */
public record JoinConfig(String applicationId, String featuresTopic, String labelsTopic, InputFormat format,
                         Duration within, String trainingTopic, String unlabelledTopic, String deadLetterTopic) {
    public JoinConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id is empty");
        }
        if (within == null || within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("the join window is " + within + ", expected > 0");
        }
        if (featuresTopic.equals(labelsTopic)) {
            throw new IllegalArgumentException("features and labels come from one topic, " + featuresTopic
                    + "; they need a topic each");
        }
        if (trainingTopic.equals(featuresTopic) || trainingTopic.equals(labelsTopic)) {
            throw new IllegalArgumentException("the training topic " + trainingTopic + " is an input of the join");
        }
    }
}
