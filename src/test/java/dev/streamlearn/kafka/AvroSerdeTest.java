package dev.streamlearn.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.ClassProbability;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Label;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.avro.RoundContribution;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    static Sample sample() {
        byte[] pixels = new byte[784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        return Sample.newBuilder().setId(41).setLabel(7).setRows(28).setCols(28).setPixels(ByteBuffer.wrap(pixels))
                .setDataset("mnist-train").setEpoch(0).setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    static TrainingSummary summary() {
        return Fixtures.summary(100);
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setKey(null).setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setTopic("mnist.train").setPartition(0).setOffset(12).setTimestamp(Instant.ofEpochMilli(5))
                .setStage("decode").setReason("not Avro").setExceptionClass("java.io.IOException").build();
    }

    static Alert alert() {
        return Alert.newBuilder().setRule("vanishing-gradients").setState(AlertState.RAISED).setStep(300)
                .setLayer(1).setExplanation("first layer barely learns").setFix("use Xavier init").build();
    }

    static Prediction prediction() {
        return Prediction.newBuilder().setKey(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 9}))
                .setTopic("mnist.features").setPartition(1).setOffset(33).setTimestamp(Instant.ofEpochMilli(9))
                .setLearner("streamlearn-learner").setModelStep(1200).setPredictedClass(4)
                .setTop(List.of(new ClassProbability(4, 0.75f), new ClassProbability(9, 0.125f))).setLabel(9).build();
    }

    @Test
    @DisplayName("every schema round-trips through single-object encoding")
    void roundTripsEverySchema() throws IOException {
        assertRoundTrip(Topics.SAMPLE_SERDE, sample());
        assertRoundTrip(Topics.SUMMARY_SERDE, summary());
        assertRoundTrip(Topics.DEAD_LETTER_SERDE, deadLetter());
        assertRoundTrip(Topics.ALERT_SERDE, alert());
        assertRoundTrip(Topics.CHECKPOINT_SERDE, Checkpoint.newBuilder().setApplicationId("app").setStep(100)
                .setInputTopic("mnist.train").setInputPartition(0).setNextOffset(104)
                .setTakenAt(Instant.ofEpochMilli(7)).setModelConfig("{}").setSnapshot(ByteBuffer.wrap(new byte[] {1, 2}))
                .build());
        assertRoundTrip(Topics.PREDICTION_SERDE, prediction());
        assertRoundTrip(Topics.LABEL_SERDE, Label.newBuilder().setTarget(List.of(1.5, -2.0))
                .setEventTime(Instant.ofEpochMilli(11)).build());
        assertRoundTrip(Topics.ROUND_SERDE, contribution());
    }

    static RoundContribution contribution() {
        return RoundContribution.newBuilder().setApplicationId("app").setRound(3).setPartition(1).setPartitions(2)
                .setNextOffset(1500).setUpdates(1498).setMadeAt(Instant.ofEpochMilli(5))
                .setSnapshot(ByteBuffer.wrap(new byte[] {1, 2, 3})).build();
    }

    @Test
    @DisplayName("an averaging round's contribution decodes with a generic reader of schemas/RoundContribution.avsc alone")
    void contributionsDecodeWithTheSchemaFile() throws IOException {
        byte[] bytes = Topics.ROUND_SERDE.encode(contribution());
        Schema schema = new Schema.Parser().parse(Path.of("schemas", "RoundContribution.avsc").toFile());
        assertEquals(SchemaNormalization.parsingFingerprint64(schema),
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 10, bytes.length), null));
        assertEquals(3L, decoded.get("round"));
        assertEquals(1, decoded.get("partition"));
        assertEquals(1500L, decoded.get("nextOffset"));
        assertArrayEquals(new byte[] {1, 2, 3}, ((ByteBuffer) decoded.get("snapshot")).array());
    }

    @Test
    @DisplayName("a prediction decodes with a generic reader of schemas/Prediction.avsc alone")
    void predictionsDecodeWithTheSchemaFile() throws IOException {
        byte[] bytes = Topics.PREDICTION_SERDE.encode(prediction());
        Schema schema = new Schema.Parser().parse(Path.of("schemas", "Prediction.avsc").toFile());
        assertEquals(SchemaNormalization.parsingFingerprint64(schema),
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 10, bytes.length), null));
        assertEquals(1200L, decoded.get("modelStep"));
        assertEquals(4, decoded.get("predictedClass"));
        assertEquals(33L, decoded.get("offset"));
        GenericRecord best = (GenericRecord) ((List<?>) decoded.get("top")).get(0);
        assertEquals(4, best.get("label"));
        assertEquals(0.75f, best.get("probability"));
        assertEquals(null, decoded.get("values"));
    }

    private static <T extends SpecificRecord> void assertRoundTrip(AvroSerde<T> serde, T record) throws IOException {
        assertEquals(record, serde.decode(serde.encode(record)));
    }

    @Test
    @DisplayName("the bytes are single-object encoded: marker C3 01, fingerprint of the .avsc schema, body")
    void decodesWithGenericReaderFromTheSchemaFile() throws IOException {
        byte[] bytes = Topics.SAMPLE_SERDE.encode(sample());
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        Schema schema = new Schema.Parser().parse(Path.of("schemas", "Sample.avsc").toFile());
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaNormalization.parsingFingerprint64(schema), fingerprint);
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 10, bytes.length), null));
        assertEquals(41L, decoded.get("id"));
        assertEquals(7, decoded.get("label"));
        assertArrayEquals(sample().getPixels().array(), ((ByteBuffer) decoded.get("pixels")).array());
    }

    @Test
    @DisplayName("bytes that are not single-object encoded, of another schema, or cut short are refused, with why")
    void refusesForeignBytes() {
        Exception notAvro = assertThrows(BadHeaderException.class,
                () -> Topics.SAMPLE_SERDE.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertTrue(notAvro.getMessage().contains("Unrecognized header bytes"), notAvro.getMessage());
        byte[] summary = Topics.SUMMARY_SERDE.encode(summary());
        Exception otherSchema = assertThrows(MissingSchemaException.class, () -> Topics.SAMPLE_SERDE.decode(summary));
        assertTrue(otherSchema.getMessage().contains("Cannot resolve schema for fingerprint"),
                otherSchema.getMessage());
        byte[] truncated = Arrays.copyOf(Topics.SAMPLE_SERDE.encode(sample()), 40);
        Exception cut = assertThrows(AvroRuntimeException.class, () -> Topics.SAMPLE_SERDE.decode(truncated));
        assertTrue(cut.getCause() instanceof EOFException, "cause: " + cut.getCause());
    }

    @Test
    @DisplayName("topic names carry the prefix; a prefix with illegal characters is refused")
    void namesTopics() {
        assertEquals("run-1.mnist.train", new Topics("run-1.").train().name());
        assertEquals(List.of("learner.monitor", "learner.dlq"),
                List.of(new Topics("").monitor().name(), new Topics("").deadLetter().name()));
        assertThrows(IllegalArgumentException.class, () -> new Topics("bad prefix/"));
    }
}
