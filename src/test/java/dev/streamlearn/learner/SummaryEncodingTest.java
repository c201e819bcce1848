package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A summary from real training keeps its float and long arrays unboxed, and the serde still writes standard Avro. */
class SummaryEncodingTest {

    private static TrainingSummary trainedSummary() {
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(ModelConfig.preset("M3").layers(List.of(784, 32, 10))
                .build()), TrainingLoop.Cadence.summariesEvery(100),
                new SummaryFactory("encoding-test", "mnist.train", 30), () -> null);
        Random random = new Random(7);
        byte[] pixels = new byte[784];
        TrainingSummary summary = null;
        for (int i = 0; summary == null; i++) {
            random.nextBytes(pixels);
            summary = loop.train(pixels, i % 10, 0, i, i).summary();
        }
        return summary;
    }

    @Test
    @DisplayName("the serde's bytes equal Avro's generic writer's, and a reader of the .avsc file gets the floats")
    void primitiveArraysEncodeAsStandardAvro() throws Exception {
        TrainingSummary summary = trainedSummary();
        List<Float> edges = summary.getTensors().get(0).getValues().getHistogram().getEdges();
        assertInstanceOf(PrimitivesArrays.FloatArray.class, edges);
        assertInstanceOf(PrimitivesArrays.LongArray.class,
                summary.getTensors().get(0).getValues().getHistogram().getCounts());

        byte[] ours = Topics.SUMMARY_SERDE.encode(summary);
        ByteBuffer generic = new BinaryMessageEncoder<TrainingSummary>(SpecificData.get(),
                TrainingSummary.getClassSchema()).encode(summary);
        assertArrayEquals(Arrays.copyOfRange(generic.array(), generic.position(), generic.limit()), ours);

        Schema schema = new Schema.Parser().parse(Path.of("schemas", "TrainingSummary.avsc").toFile());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(ours, 10, ours.length), null));
        List<?> tensors = (List<?>) decoded.get("tensors");
        GenericRecord histogram = (GenericRecord) ((GenericRecord) ((GenericRecord) tensors.get(0)).get("values"))
                .get("histogram");
        assertEquals(edges, List.copyOf((List<?>) histogram.get("edges")));
        assertNotNull(summary.getActivations().get(0).getUnitGradientMeanAbs());
        assertEquals(32, summary.getActivations().get(0).getUnitGradientMeanAbs().size());
    }
}
