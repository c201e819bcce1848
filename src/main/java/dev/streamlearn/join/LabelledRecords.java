package dev.streamlearn.join;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Label;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.InputFormat;
import dev.streamlearn.learner.JsonTargets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the join reads and writes: whether a record is features it can label or a label it can give (the reason when
 * not), and the features record with its label, written as it came (a Sample, a Features row, or a JSON object). The
 * join does not know the model, so the learner still checks the labelled record against it.
 */
final class LabelledRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelledRecords() {
    }

    /** Why a features record cannot be labelled, or null when it can. */
    static String featuresProblem(byte[] value, InputFormat format) {
        if (value == null) {
            return "record has a null value";
        }
        if (format == InputFormat.JSON) {
            try {
                JsonNode json = JSON.readTree(new String(value, StandardCharsets.UTF_8));
                if (json == null || !json.isObject() || !(json.path("features").isArray()
                        || json.path("values").isArray())) {
                    return "not a JSON object with a \"features\" (or sparse \"values\") array";
                }
                return null;
            } catch (JsonProcessingException e) {
                return "not JSON: " + e.getOriginalMessage();
            }
        }
        try {
            if (Topics.FEATURES_SERDE.writtenWith(value)) {
                Topics.FEATURES_SERDE.decode(value, null);
            } else {
                Topics.SAMPLE_SERDE.decode(value, null);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "not an Avro single-object encoded Sample or Features: " + e.getMessage();
        }
    }

    /** Why a label record cannot label anything, or null when it can. */
    static String labelProblem(byte[] value, InputFormat format) {
        if (value == null) {
            return "record has a null value";
        }
        Label label;
        try {
            label = read(value, format);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if ((label.getLabel() == null) == (label.getTarget() == null)) {
            return "a label carries a class (\"label\") or numbers (\"target\"), exactly one of them";
        }
        if (label.getLabel() != null && label.getLabel() < 0) {
            return "label " + label.getLabel() + " is not a class (expected >= 0)";
        }
        if (label.getTarget() != null && (label.getTarget().isEmpty()
                || label.getTarget().stream().anyMatch(number -> !Double.isFinite(number)))) {
            return "target " + label.getTarget() + " is not a list of finite numbers";
        }
        return null;
    }

    /**
     * The features record with the label's class or numbers, in the features' own encoding.
     *
     * @throws IllegalArgumentException when the features cannot carry the label (numbers for a Sample)
     */
    static byte[] withLabel(byte[] features, byte[] labelValue, InputFormat format) {
        Label label = read(labelValue, format);
        if (format == InputFormat.JSON) {
            try {
                ObjectNode json = (ObjectNode) JSON.readTree(new String(features, StandardCharsets.UTF_8));
                json.remove(List.of("label", "target"));
                if (label.getLabel() != null) {
                    json.put("label", label.getLabel());
                } else {
                    json.putArray("target").addAll(label.getTarget().stream()
                            .map(JSON.getNodeFactory()::numberNode).toList());
                }
                return json.toString().getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("features checked as JSON no longer parse", e);
            }
        }
        try {
            if (Topics.FEATURES_SERDE.writtenWith(features)) {
                Features row = Topics.FEATURES_SERDE.decode(features, null);
                row.setLabel(label.getLabel());
                row.setTarget(label.getTarget());
                return Topics.FEATURES_SERDE.encode(row);
            }
            if (label.getLabel() == null) {
                throw new IllegalArgumentException("the label has numbers " + label.getTarget()
                        + " and a Sample carries a class");
            }
            Sample sample = Topics.SAMPLE_SERDE.decode(features, null);
            sample.setLabel(label.getLabel());
            return Topics.SAMPLE_SERDE.encode(sample);
        } catch (IOException e) {
            throw new IllegalStateException("features checked as Avro no longer decode", e);
        }
    }

    private static Label read(byte[] value, InputFormat format) {
        if (format == InputFormat.AVRO) {
            try {
                return Topics.LABEL_SERDE.decode(value, null);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("not an Avro single-object encoded Label: " + e.getMessage());
            }
        }
        JsonNode json;
        try {
            json = JSON.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return Label.newBuilder().setLabel(JsonTargets.label(json)).setTarget(JsonTargets.target(json)).build();
    }
}
