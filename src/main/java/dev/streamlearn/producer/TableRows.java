package dev.streamlearn.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.avro.Features;
import dev.streamlearn.data.FeatureTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link FeatureTable}'s rows as the records the learner reads: {@code Features} (Avro) or JSON objects. */
public final class TableRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableRows() {
    }

    public static SampleProducer.Rows<Features> features(FeatureTable table) {
        return new SampleProducer.Rows<>() {
            @Override
            public int count() {
                return table.count();
            }

            @Override
            public Features record(int index, int epoch) {
                List<Float> values = new ArrayList<>(table.featureCount());
                for (float value : table.features()[index]) {
                    values.add(value);
                }
                return Features.newBuilder().setValues(values).setIndices(null).setSize(null)
                        .setLabel(table.target() == FeatureTable.Target.CLASS ? table.labels()[index] : null)
                        .setTarget(table.target() == FeatureTable.Target.NUMBER ? numbers(table.numbers()[index]) : null)
                        .setWeight(null).setEventTime(null).setSource(table.name()).build();
            }
        };
    }

    /** JSON objects as kcat or Kafka Connect would write them: {"features": [...], "label": 3} or "target". */
    public static SampleProducer.Rows<byte[]> json(FeatureTable table) {
        return new SampleProducer.Rows<>() {
            @Override
            public int count() {
                return table.count();
            }

            @Override
            public byte[] record(int index, int epoch) {
                ObjectNode row = JSON.createObjectNode();
                ArrayNode values = row.putArray("features");
                for (float value : table.features()[index]) {
                    values.add(value);
                }
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
