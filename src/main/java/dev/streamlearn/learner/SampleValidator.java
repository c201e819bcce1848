package dev.streamlearn.learner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Turns raw record bytes into a {@link TrainingInput} the model can take, or into the reason it cannot. A record is
 * a {@code Sample} (an image) or a {@code Features} row, told apart by its schema fingerprint, or with
 * {@link InputFormat#JSON} a JSON object. Nothing here touches the model, so a refused record leaves it bitwise as it
 * was; anything a record holds that the decoders throw on is a refusal, never an exception.
 */
public final class SampleValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelConfig model;
    private final InputFormat format;
    private final int inputSize;
    private final int classes;
    private final TrainingInput input;
    /** Records are decoded into these, reused: see {@link TrainingInput}. */
    private Sample reusableSample;
    private final FeaturesDecoder featuresDecoder = new FeaturesDecoder();

    SampleValidator(ModelConfig model) {
        this(model, InputFormat.AVRO);
    }

    public SampleValidator(ModelConfig model, InputFormat format) {
        this.model = model;
        this.format = format;
        this.inputSize = model.inputSize();
        this.classes = model.loss().isBinary() ? 10 : model.outputSize();
        this.input = new TrainingInput(inputSize, model.outputSize());
    }

    /**
     * The outcome of checking one record: the input, valid until the next check, or the stage and reason of its
     * refusal.
     */
    public record Checked(TrainingInput input, String stage, String reason, Throwable cause) {
        public boolean accepted() {
            return input != null;
        }
    }

    private static Checked refused(String stage, String reason) {
        return new Checked(null, stage, reason, null);
    }

    public Checked check(byte[] value) {
        if (value == null) {
            return refused("decode", "record has a null value");
        }
        if (format == InputFormat.JSON) {
            return checkJson(value);
        }
        if (Topics.FEATURES_SERDE.writtenWith(value)) {
            Features row;
            try {
                row = FeaturesDecoder.current(value) ? featuresDecoder.decode(value)
                        : Topics.FEATURES_SERDE.decode(value, null);
            } catch (Exception e) {
                return new Checked(null, "decode", "not a readable Features record: " + e.getMessage(), e);
            }
            List<Double> target = row.getTarget();
            return checkFeatures(row.getValues(), row.getIndices(), row.getSize(), row.getLabel(), target,
                    row.getWeight());
        }
        Sample sample;
        try {
            sample = Topics.SAMPLE_SERDE.decode(value, reusableSample);
            reusableSample = sample;
        } catch (Exception e) {
            return new Checked(null, "decode", "not an Avro single-object encoded Sample or Features: "
                    + e.getMessage(), e);
        }
        return checkSample(sample);
    }

    private Checked checkSample(Sample sample) {
        int pixels = sample.getPixels().remaining();
        if (sample.getRows() <= 0 || sample.getCols() <= 0) {
            return refused("validate", "rows x cols is " + sample.getRows() + " x " + sample.getCols()
                    + ", expected both > 0");
        }
        if ((long) sample.getRows() * sample.getCols() != pixels) {
            return refused("validate", "pixels has " + pixels + " bytes, expected rows x cols = " + sample.getRows()
                    + " x " + sample.getCols() + " = " + (long) sample.getRows() * sample.getCols());
        }
        if (pixels != inputSize) {
            return refused("validate", "sample has " + pixels + " pixels, the model takes " + inputSize);
        }
        boolean unlabelled = sample.getLabel() == Topics.NO_LABEL;
        if (model.loss().isNumeric() && !unlabelled) {
            return refused("validate", "a Sample carries a class, and the " + model.loss().flagName()
                    + " head learns numbers");
        }
        if (!unlabelled && (sample.getLabel() < 0 || sample.getLabel() >= classes)) {
            return refused("validate", "label " + sample.getLabel() + " is outside the model's classes 0.."
                    + (classes - 1) + " (or " + Topics.NO_LABEL + ": no label)");
        }
        sample.getPixels().duplicate().get(input.pixels);
        input.kind = TrainingInput.Kind.PIXELS;
        input.label = sample.getLabel();
        input.numeric = false;
        input.weight = 1f;
        return new Checked(input, null, null, null);
    }

    /** Checks a feature row from either format; the lists are the record's own. */
    private Checked checkFeatures(List<Float> values, List<Integer> indices, Integer size, Integer label,
                                  List<Double> target, Double weight) {
        int count = indices == null ? values.size() : size == null ? -1 : size;
        if (indices != null && size == null) {
            return refused("validate", "sparse features (indices) without their size");
        }
        if (count != inputSize) {
            return refused("validate", "record has " + count + " features, the model takes " + inputSize);
        }
        if (indices == null) {
            if (values instanceof PrimitivesArrays.FloatArray floats) {
                for (int i = 0; i < count; i++) {
                    input.features[i] = floats.getFloat(i);
                }
            } else {
                for (int i = 0; i < count; i++) {
                    input.features[i] = values.get(i);
                }
            }
        } else {
            if (indices.size() != values.size()) {
                return refused("validate", "sparse features have " + indices.size() + " indices and "
                        + values.size() + " values");
            }
            java.util.Arrays.fill(input.features, 0f);
            int previous = -1;
            for (int k = 0; k < indices.size(); k++) {
                int index = indices.get(k);
                if (index <= previous || index >= count) {
                    return refused("validate", "sparse index " + index + " at position " + k + " is not strictly "
                            + "ascending within 0.." + (count - 1));
                }
                input.features[index] = values.get(k);
                previous = index;
            }
        }
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(input.features[i])) {
                return refused("validate", "feature " + i + " is " + input.features[i] + ", expected a finite number");
            }
        }
        if (weight != null && !(weight >= 0 && Double.isFinite(weight))) {
            return refused("validate", "weight is " + weight + ", expected a finite number >= 0");
        }
        input.kind = TrainingInput.Kind.FEATURES;
        input.weight = weight == null ? 1f : weight.floatValue();
        input.label = -1;
        input.numeric = false;
        if (label != null && target != null) {
            return refused("validate", "record has both a label and a target; a model learns one or the other");
        }
        if (label != null) {
            if (model.loss().isNumeric()) {
                return refused("validate", "record has a class (label " + label + ") and the "
                        + model.loss().flagName() + " head learns numbers (give a target)");
            }
            if (label < 0 || label >= classes) {
                return refused("validate", "label " + label + " is outside the model's classes 0.." + (classes - 1));
            }
            input.label = label;
        } else if (target != null) {
            if (!model.loss().isNumeric()) {
                return refused("validate", "record has a numeric target and the " + model.loss().flagName()
                        + " head learns classes (give a label)");
            }
            if (target.size() != model.outputSize()) {
                return refused("validate", "record has " + target.size() + " targets, the model has "
                        + model.outputSize() + " outputs");
            }
            for (int i = 0; i < target.size(); i++) {
                double number = target.get(i);
                if (!Double.isFinite(number) || !Float.isFinite((float) number)) {
                    return refused("validate", "target " + i + " is " + number + ", expected a finite number");
                }
                input.targets[i] = (float) number;
            }
            input.numeric = true;
        }
        return new Checked(input, null, null, null);
    }

    /**
     * A JSON object: {@code {"features": [...], "label": 3}}, {@code "target": 2.5} or {@code [2.5, 1.0]} for numbers,
     * sparse {@code {"indices": [...], "values": [...], "size": N}}, optional {@code "weight"}.
     */
    private Checked checkJson(byte[] value) {
        JsonNode json;
        try {
            json = JSON.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return new Checked(null, "decode", "not JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !json.isObject()) {
            return refused("decode", "not a JSON object");
        }
        boolean sparse = json.has("indices");
        JsonNode values = json.get(sparse ? "values" : "features");
        if (values == null || !values.isArray()) {
            return refused("decode", sparse ? "sparse features need \"values\" (an array) beside \"indices\""
                    : "no \"features\" array");
        }
        List<Float> numbers = new ArrayList<>(values.size());
        for (JsonNode number : values) {
            if (!number.isNumber()) {
                return refused("decode", "feature " + numbers.size() + " is " + number + ", expected a number");
            }
            numbers.add(number.floatValue());
        }
        List<Integer> indices = null;
        Integer size = null;
        if (sparse) {
            indices = new ArrayList<>();
            for (JsonNode index : json.get("indices")) {
                if (!index.canConvertToInt()) {
                    return refused("decode", "index " + index + " is not a whole number");
                }
                indices.add(index.intValue());
            }
            JsonNode sizeNode = json.get("size");
            size = sizeNode == null || !sizeNode.canConvertToInt() ? null : sizeNode.intValue();
        }
        Integer label;
        List<Double> target;
        try {
            label = JsonTargets.label(json);
            target = JsonTargets.target(json);
        } catch (IllegalArgumentException e) {
            return refused("decode", e.getMessage());
        }
        JsonNode weightNode = json.get("weight");
        if (weightNode != null && !weightNode.isNull() && !weightNode.isNumber()) {
            return refused("decode", "weight " + weightNode + " is not a number");
        }
        Double weight = weightNode == null || weightNode.isNull() ? null : weightNode.doubleValue();
        return checkFeatures(numbers, indices, size, label, target, weight);
    }
}
