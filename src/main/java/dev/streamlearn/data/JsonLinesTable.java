package dev.streamlearn.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON lines, one object per line in the learner's JSON form: {@code {"features": [0.1, 2.0], "label": 3}},
 * {@code "target": 2.5} (or an array of numbers), or neither (unlabelled). Every line is checked before the table is
 * returned; blank lines are passed over.
 */
public final class JsonLinesTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLinesTable() {
    }

    public static FeatureTable read(String source, BufferedReader in, boolean skipBadRows) throws IOException {
        List<float[]> features = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<double[]> numbers = new ArrayList<>();
        long skipped = 0;
        long lineNumber = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String fault;
            try {
                fault = parse(JSON.readTree(line), features, labels, numbers);
            } catch (JsonProcessingException e) {
                fault = "not JSON: " + e.getOriginalMessage();
            }
            if (fault != null) {
                if (!skipBadRows) {
                    throw new TableFormatException(source, lineNumber, fault);
                }
                skipped++;
            }
        }
        int width = features.isEmpty() ? 0 : features.get(0).length;
        List<String> names = new ArrayList<>();
        for (int f = 0; f < width; f++) {
            names.add("x" + f);
        }
        float[][] rows = features.toArray(new float[0][]);
        if (!labels.isEmpty()) {
            return new FeatureTable(source, names, rows, FeatureTable.Target.CLASS,
                    labels.stream().mapToInt(Integer::intValue).toArray(), null, List.of(), skipped);
        }
        if (!numbers.isEmpty()) {
            return new FeatureTable(source, names, rows, FeatureTable.Target.NUMBER, null,
                    numbers.toArray(new double[0][]), List.of(), skipped);
        }
        return new FeatureTable(source, names, rows, FeatureTable.Target.NONE, null, null, List.of(), skipped);
    }

    /** Adds one object's row, or returns what is wrong with it (nothing added). */
    private static String parse(JsonNode json, List<float[]> features, List<Integer> labels, List<double[]> numbers) {
        if (json == null || !json.isObject()) {
            return "not a JSON object";
        }
        JsonNode values = json.get("features");
        if (values == null || !values.isArray()) {
            return "no \"features\" array";
        }
        if (!features.isEmpty() && values.size() != features.get(0).length) {
            return "has " + values.size() + " features, the first row " + features.get(0).length;
        }
        float[] row = new float[values.size()];
        for (int f = 0; f < row.length; f++) {
            JsonNode value = values.get(f);
            if (!value.isNumber() || !Float.isFinite(value.floatValue())) {
                return "feature " + f + " is " + value + ", expected a finite number";
            }
            row[f] = value.floatValue();
        }
        JsonNode label = json.get("label");
        JsonNode target = json.get("target");
        if (label != null && target != null) {
            return "has both \"label\" and \"target\"";
        }
        boolean earlierClasses = !labels.isEmpty();
        boolean earlierNumbers = !numbers.isEmpty();
        boolean earlierNone = !features.isEmpty() && !earlierClasses && !earlierNumbers;
        if (label != null) {
            if (!label.canConvertToInt() || label.intValue() < 0 || !label.isIntegralNumber()) {
                return "label " + label + " is not a class (0, 1, 2, ...)";
            }
            if (earlierNumbers || earlierNone) {
                return "has a label, and the rows before it " + (earlierNumbers ? "a target" : "neither");
            }
            labels.add(label.intValue());
        } else if (target != null) {
            double[] targetValues = new double[target.isArray() ? target.size() : 1];
            for (int i = 0; i < targetValues.length; i++) {
                JsonNode number = target.isArray() ? target.get(i) : target;
                if (!number.isNumber() || !Double.isFinite(number.doubleValue())) {
                    return "target " + number + " is not a finite number";
                }
                targetValues[i] = number.doubleValue();
            }
            if (earlierClasses || earlierNone) {
                return "has a target, and the rows before it " + (earlierClasses ? "a label" : "neither");
            }
            if (earlierNumbers && numbers.get(0).length != targetValues.length) {
                return "has " + targetValues.length + " targets, the first row " + numbers.get(0).length;
            }
            numbers.add(targetValues);
        } else if (earlierClasses || earlierNumbers) {
            return "has neither \"label\" nor \"target\", and the rows before it do";
        }
        features.add(row);
        return null;
    }
}
