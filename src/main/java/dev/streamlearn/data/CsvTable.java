package dev.streamlearn.data;

import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads a CSV file with a header row into a {@link FeatureTable}: one column is the label (a class, a name of a
 * class, or a number), the chosen columns are the features (every other column by default). Parsing is Jackson's
 * CSV module, numbers Jackson's fast float parser (the JDK's took most of the read); every row is checked before the
 * table is returned, so a bad row fails the read with its line.
 */
public final class CsvTable {
    private static final CsvMapper CSV = new CsvMapper();

    private CsvTable() {
    }

    /**
     * What to read from the columns.
     *
     * @param labelColumn the label's column name, or null for the column named "label" if there is one (else the rows
     *                    are unlabelled)
     * @param featureColumns the feature columns in order, or empty for every column but the label
     * @param labelType CLASS or NUMBER, or null to infer it (whole numbers or names: class; otherwise number)
     * @param skipBadRows pass over malformed rows, counting them, instead of failing
     */
    public record Columns(String labelColumn, List<String> featureColumns, FeatureTable.Target labelType,
                          boolean skipBadRows) {
    }

    public static FeatureTable read(String source, Reader in, Columns columns) throws IOException {
        try (CsvParser parser = (CsvParser) CSV.getFactory().createParser(in)) {
            List<String> header = headerRow(parser);
            if (header == null) {
                throw new TableFormatException(source, 1, "no header row");
            }
            String labelColumn = columns.labelColumn() != null ? columns.labelColumn()
                    : header.contains("label") ? "label" : null;
            int labelIndex = -1;
            if (labelColumn != null) {
                labelIndex = header.indexOf(labelColumn);
                if (labelIndex < 0) {
                    throw new TableFormatException(source, 1, "no column '" + labelColumn + "' (columns: "
                            + String.join(", ", header) + ")");
                }
            }
            List<String> names = new ArrayList<>();
            int[] slotOf = new int[header.size()];
            java.util.Arrays.fill(slotOf, -1);
            for (String wanted : columns.featureColumns().isEmpty() ? header : columns.featureColumns()) {
                int index = header.indexOf(wanted);
                if (index < 0) {
                    throw new TableFormatException(source, 1, "no column '" + wanted + "' (columns: "
                            + String.join(", ", header) + ")");
                }
                if (index != labelIndex) {
                    slotOf[index] = names.size();
                    names.add(wanted);
                }
            }
            List<float[]> features = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            long skipped = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                long line = -1;
                float[] values = new float[names.size()];
                String label = null;
                String fault = null;
                int field = 0;
                for (token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken(), field++) {
                    if (field == 0) {
                        line = parser.currentTokenLocation().getLineNr();
                    }
                    if (fault != null || field >= slotOf.length) {
                        continue;
                    }
                    String text = parser.getText().strip();
                    if (field == labelIndex) {
                        label = text;
                    } else if (slotOf[field] >= 0) {
                        fault = parse(text, values, slotOf[field], names);
                    }
                }
                if (fault == null && field != header.size()) {
                    fault = "has " + field + " fields, the header " + header.size();
                }
                if (fault == null && labelIndex >= 0 && label.isEmpty()) {
                    fault = "no label in column '" + labelColumn + "'";
                }
                if (fault != null) {
                    if (!columns.skipBadRows()) {
                        throw new TableFormatException(source, line, fault);
                    }
                    skipped++;
                    continue;
                }
                features.add(values);
                if (labelIndex >= 0) {
                    labels.add(label);
                }
            }
            return labelled(source, names, features.toArray(new float[0][]), labels, labelIndex < 0 ? null
                    : columns.labelType(), skipped);
        }
    }

    /** The first row's fields, or null when there is none. */
    private static List<String> headerRow(CsvParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            fields.add(parser.getText().strip());
        }
        return fields;
    }

    /** Parses one feature into its slot; returns what is wrong with it, or null. */
    private static String parse(String text, float[] values, int slot, List<String> names) {
        try {
            values[slot] = NumberInput.parseFloat(text, true);
        } catch (NumberFormatException e) {
            return "column '" + names.get(slot) + "' is '" + text + "', expected a number";
        }
        return Float.isFinite(values[slot]) ? null
                : "column '" + names.get(slot) + "' is " + text + ", expected a finite number";
    }

    /**
     * The table with its labels as classes or numbers. A label type that is not given is inferred: whole numbers or
     * names are classes, anything else numbers. Class names become indices in sorted order.
     */
    static FeatureTable labelled(String source, List<String> names, float[][] features, List<String> labels,
                                 FeatureTable.Target labelType, long skipped) {
        if (labels.isEmpty() && labelType == null) {
            return new FeatureTable(source, names, features, FeatureTable.Target.NONE, null, null, List.of(), skipped);
        }
        boolean allWhole = labels.stream().allMatch(CsvTable::isWhole);
        boolean allNumbers = labels.stream().allMatch(CsvTable::isNumber);
        FeatureTable.Target type = labelType != null ? labelType
                : allWhole || !allNumbers ? FeatureTable.Target.CLASS : FeatureTable.Target.NUMBER;
        if (type == FeatureTable.Target.NUMBER) {
            double[][] numbers = new double[labels.size()][];
            for (int r = 0; r < numbers.length; r++) {
                if (!isNumber(labels.get(r))) {
                    throw new IllegalArgumentException(source + ": label '" + labels.get(r) + "' of data row "
                            + (r + 1) + " is not a number, and the label type is number");
                }
                numbers[r] = new double[] {Double.parseDouble(labels.get(r))};
            }
            return new FeatureTable(source, names, features, type, null, numbers, List.of(), skipped);
        }
        int[] classes = new int[labels.size()];
        List<String> classNames = List.of();
        if (allWhole) {
            for (int r = 0; r < classes.length; r++) {
                classes[r] = Integer.parseInt(labels.get(r));
                if (classes[r] < 0) {
                    throw new IllegalArgumentException(source + ": label " + classes[r] + " of data row " + (r + 1)
                            + " is negative; classes are 0, 1, 2, ...");
                }
            }
        } else {
            classNames = List.copyOf(new TreeSet<>(labels));
            for (int r = 0; r < classes.length; r++) {
                classes[r] = classNames.indexOf(labels.get(r));
            }
        }
        return new FeatureTable(source, names, features, type, classes, null, classNames, skipped);
    }

    private static boolean isWhole(String text) {
        try {
            Integer.parseInt(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isNumber(String text) {
        try {
            return Double.isFinite(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
