package dev.streamlearn.learner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a JSON record says to learn: {@code "label"}, a whole number, or {@code "target"}, a number or an array of
 * them. Read alike from training records and from labels that come later; anything else is refused with its reason.
 */
public final class JsonTargets {
    private JsonTargets() {
    }

    /**
     * @return the object's class, or null when it has none
     * @throws IllegalArgumentException naming the value when it is not a whole number
     */
    public static Integer label(JsonNode object) {
        JsonNode node = object.get("label");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt()) {
            throw new IllegalArgumentException("label " + node + " is not a whole number");
        }
        return node.intValue();
    }

    /**
     * @return the object's numbers, or null when it has none
     * @throws IllegalArgumentException naming the first value that is not a number
     */
    public static List<Double> target(JsonNode object) {
        JsonNode node = object.get("target");
        if (node == null || node.isNull()) {
            return null;
        }
        List<Double> numbers = new ArrayList<>();
        for (JsonNode number : node.isArray() ? node : List.of(node)) {
            if (!number.isNumber()) {
                throw new IllegalArgumentException("target " + number + " is not a number");
            }
            numbers.add(number.doubleValue());
        }
        return numbers;
    }
}
