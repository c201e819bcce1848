package dev.streamlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** CSV and JSON lines into checked tables: labels inferred and said, a malformed row named by file and line. */
class FeatureTablesTest {

    private static FeatureTable csv(String text, CsvTable.Columns columns) throws Exception {
        return CsvTable.read("rows.csv", new StringReader(text), columns);
    }

    private static CsvTable.Columns columns(String label) {
        return new CsvTable.Columns(label, List.of(), null, false);
    }

    @Test
    @DisplayName("whole-number labels are classes, names are classes in sorted order, decimals are numbers")
    void labelTypesInferred() throws Exception {
        FeatureTable whole = csv("a,b,label\n1,2,0\n3,4,2\n", columns(null));
        assertEquals(FeatureTable.Target.CLASS, whole.target());
        assertArrayEquals(new int[] {0, 2}, whole.labels());
        assertEquals(List.of("a", "b"), whole.featureNames());
        assertArrayEquals(new float[] {3, 4}, whole.features()[1]);

        FeatureTable names = csv("x,species\n1,virginica\n2,setosa\n3,virginica\n", columns("species"));
        assertEquals(List.of("setosa", "virginica"), names.classNames());
        assertArrayEquals(new int[] {1, 0, 1}, names.labels());

        FeatureTable numbers = csv("x,y\n1,0.5\n2,1.5\n", columns("y"));
        assertEquals(FeatureTable.Target.NUMBER, numbers.target());
        assertArrayEquals(new double[] {1.5}, numbers.numbers()[1]);

        FeatureTable forced = csv("x,y\n1,0\n2,1\n", new CsvTable.Columns("y", List.of(), FeatureTable.Target.NUMBER,
                false));
        assertEquals(FeatureTable.Target.NUMBER, forced.target());

        FeatureTable chosen = csv("a,b,c,y\n1,2,3,0\n", new CsvTable.Columns("y", List.of("c", "a"), null, false));
        assertArrayEquals(new float[] {3, 1}, chosen.features()[0]);

        assertEquals(FeatureTable.Target.NONE, csv("a,b\n1,2\n", columns(null)).target());
    }

    @Test
    @DisplayName("a malformed row fails the read naming file, line and fault; with skipping it is counted instead")
    void malformedRows() throws Exception {
        String text = "a,b,label\n1,2,0\n1,oops,1\n1,2\n5,6,1\n";
        assertEquals("rows.csv:3: column 'b' is 'oops', expected a number",
                assertThrows(TableFormatException.class, () -> csv(text, columns(null))).getMessage());
        FeatureTable skipping = csv(text, new CsvTable.Columns(null, List.of(), null, true));
        assertEquals(2, skipping.count());
        assertEquals(2, skipping.skipped());
        assertEquals("rows.csv:1: no column 'y' (columns: a, b, label)",
                assertThrows(TableFormatException.class, () -> csv(text, columns("y"))).getMessage());
    }

    @Test
    @DisplayName("JSON lines: labels, numbers (one or several), unlabelled; a line that breaks the pattern is named")
    void jsonLines() throws Exception {
        FeatureTable classes = JsonLinesTable.read("rows.jsonl", new BufferedReader(new StringReader(
                "{\"features\": [1, 2], \"label\": 1}\n\n{\"features\": [3, 4], \"label\": 0}\n")), false);
        assertArrayEquals(new int[] {1, 0}, classes.labels());
        FeatureTable numbers = JsonLinesTable.read("rows.jsonl", new BufferedReader(new StringReader(
                "{\"features\": [1], \"target\": [0.5, 2]}\n")), false);
        assertArrayEquals(new double[] {0.5, 2}, numbers.numbers()[0]);
        assertEquals("rows.jsonl:2: has 1 features, the first row 2", assertThrows(TableFormatException.class,
                () -> JsonLinesTable.read("rows.jsonl", new BufferedReader(new StringReader(
                        "{\"features\": [1, 2], \"label\": 1}\n{\"features\": [1], \"label\": 1}\n")), false))
                .getMessage());
        assertEquals("rows.jsonl:1: not JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, "
                        + "Object or token 'null', 'true' or 'false')",
                assertThrows(TableFormatException.class, () -> JsonLinesTable.read("rows.jsonl",
                        new BufferedReader(new StringReader("x\n")), false)).getMessage());
    }

    @Test
    @DisplayName("the identity stream: x uniform in [-1, 1], target x, the same rows for the same seed")
    void identityStream() {
        FeatureTable rows = SyntheticStreams.identity(1000, 7);
        for (int i = 0; i < rows.count(); i++) {
            float x = rows.features()[i][0];
            assertEquals(x, rows.numbers()[i][0], 0.0);
            assertEquals(true, x >= -1 && x <= 1);
        }
        assertArrayEquals(rows.features()[999], SyntheticStreams.identity(1000, 7).features()[999]);
    }
}
