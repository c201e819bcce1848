package dev.streamlearn.data;

import com.fasterxml.jackson.databind.MappingIterator;
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
 * CSV module; every row is checked before the table is returned, so a bad row fails the read with its line.
 */
public final class CsvTable {
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

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
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(in)) {
            if (!rows.hasNext()) {
                throw new TableFormatException(source, 1, "no header row");
            }
            List<String> header = List.of(rows.next());
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
            List<Integer> featureIndices = new ArrayList<>();
            for (String wanted : columns.featureColumns().isEmpty() ? header : columns.featureColumns()) {
                int index = header.indexOf(wanted);
                if (index < 0) {
                    throw new TableFormatException(source, 1, "no column '" + wanted + "' (columns: "
                            + String.join(", ", header) + ")");
                }
                if (index != labelIndex) {
                    names.add(wanted);
                    featureIndices.add(index);
                }
            }
            List<float[]> features = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            long skipped = 0;
            while (rows.hasNext()) {
                long line = rows.getCurrentLocation().getLineNr();
                String[] row = rows.next();
                String fault = row.length != header.size() ? "has " + row.length + " fields, the header "
                        + header.size() : null;
                float[] values = new float[featureIndices.size()];
                for (int f = 0; fault == null && f < values.length; f++) {
                    String text = row[featureIndices.get(f)].trim();
                    try {
                        values[f] = Float.parseFloat(text);
                        if (!Float.isFinite(values[f])) {
                            fault = "column '" + names.get(f) + "' is " + text + ", expected a finite number";
                        }
                    } catch (NumberFormatException e) {
                        fault = "column '" + names.get(f) + "' is '" + text + "', expected a number";
                    }
                }
                if (fault == null && labelIndex >= 0 && row[labelIndex].isBlank()) {
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
                    labels.add(row[labelIndex].trim());
                }
            }
            return labelled(source, names, features.toArray(new float[0][]), labels, labelIndex < 0 ? null
                    : columns.labelType(), skipped);
        }
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
