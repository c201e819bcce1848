package dev.streamlearn.data;

import java.util.List;

/**
 * Rows of a user's own data, read whole and checked (so a bad row is found before anything is sent): every row's
 * features, and its class, its numbers, or nothing.
 *
 * @param name where the rows came from (a file name, "stdin", a generator)
 * @param featureNames a name per feature column
 * @param features one array per row, all of the same length
 * @param target what the rows carry besides their features
 * @param labels per row, its class (targets CLASS), else null
 * @param numbers per row, its numbers (targets NUMBER), else null
 * @param classNames the class names in index order, when the labels were names rather than numbers, else empty
 * @param skipped malformed rows passed over (with --skip-bad-rows)
 */
public record FeatureTable(String name, List<String> featureNames, float[][] features, Target target, int[] labels,
                           double[][] numbers, List<String> classNames, long skipped) {

    /** What a row carries to learn from. */
    public enum Target {
        CLASS, NUMBER, NONE;

        public static Target parse(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "class" -> CLASS;
                case "number" -> NUMBER;
                default -> throw new IllegalArgumentException("label type is '" + text + "', expected class or number");
            };
        }
    }

    public int count() {
        return features.length;
    }

    public int featureCount() {
        return featureNames.size();
    }
}
