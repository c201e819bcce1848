package dev.streamlearn.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Label;
import dev.streamlearn.data.FeatureTable;
import dev.streamlearn.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;

/** A {@link FeatureTable}'s rows as the records the learner reads: {@code Features} (Avro) or JSON objects. */
public final class TableRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema VALUES = Features.getClassSchema().getField("values").schema();

    private TableRows() {
    }

    /**
     * The rows as {@code Features} records. One record and one unboxed value array are filled for each row in turn:
     * the producer serialises a record as it is sent, and boxing every feature was most of the cost of sending.
     */
    public static LateLabels.Rows<Features> features(FeatureTable table) {
        PrimitivesArrays.FloatArray values = new PrimitivesArrays.FloatArray(table.featureCount(), VALUES);
        Features row = Features.newBuilder().setValues(values).setIndices(null).setSize(null).setLabel(null)
                .setTarget(null).setWeight(null).setEventTime(null).setSource(table.name()).build();
        return new LateLabels.Rows<>() {
            @Override
            public int count() {
                return table.count();
            }

            @Override
            public Features record(int index, int epoch) {
                withoutLabel(index, epoch);
                row.setLabel(table.target() == FeatureTable.Target.CLASS ? table.labels()[index] : null);
                row.setTarget(table.target() == FeatureTable.Target.NUMBER ? numbers(table.numbers()[index]) : null);
                return row;
            }

            @Override
            public Features withoutLabel(int index, int epoch) {
                values.clear();
                for (float value : table.features()[index]) {
                    values.add(values.size(), value);
                }
                row.setLabel(null);
                row.setTarget(null);
                return row;
            }

            @Override
            public byte[] label(int index) {
                return Topics.LABEL_SERDE.encode(Label.newBuilder()
                        .setLabel(table.target() == FeatureTable.Target.CLASS ? table.labels()[index] : null)
                        .setTarget(table.target() == FeatureTable.Target.NUMBER ? numbers(table.numbers()[index])
                                : null).build());
            }
        };
    }

    /** JSON objects as kcat or Kafka Connect would write them: {"features": [...], "label": 3} or "target". */
    public static LateLabels.Rows<byte[]> json(FeatureTable table) {
        return new LateLabels.Rows<>() {
            @Override
            public int count() {
                return table.count();
            }

            @Override
            public byte[] record(int index, int epoch) {
                return withTarget(features(index), index);
            }

            @Override
            public byte[] withoutLabel(int index, int epoch) {
                return features(index).toString().getBytes(StandardCharsets.UTF_8);
            }

            private ObjectNode features(int index) {
                ObjectNode row = JSON.createObjectNode();
                ArrayNode values = row.putArray("features");
                for (float value : table.features()[index]) {
                    values.add(value);
                }
                return row;
            }

            @Override
            public byte[] label(int index) {
                return withTarget(JSON.createObjectNode(), index);
            }

            /** The row's class as "label" or its numbers as "target", added to object. */
            private byte[] withTarget(ObjectNode row, int index) {
                if (table.target() == FeatureTable.Target.CLASS) {
                    row.put("label", table.labels()[index]);
                } else if (table.target() == FeatureTable.Target.NUMBER) {
                    double[] numbers = table.numbers()[index];
                    if (numbers.length == 1) {
                        row.put("target", numbers[0]);
                    } else {
                        ArrayNode target = row.putArray("target");
                        for (double number : numbers) {
                            target.add(number);
                        }
                    }
                }
                return row.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static List<Double> numbers(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double value : values) {
            list.add(value);
        }
        return list;
    }
}
