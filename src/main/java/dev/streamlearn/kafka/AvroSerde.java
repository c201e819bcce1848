package dev.streamlearn.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.commons.io.input.UnsynchronizedByteArrayInputStream;
import org.apache.commons.io.output.UnsynchronizedByteArrayOutputStream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding (2-byte marker C3 01, 8-byte CRC-64-AVRO schema fingerprint, binary body) for a
 * generated record class, so any Avro implementation can decode a topic with the {@code .avsc} files and no registry.
 * Records written with an earlier version of a schema ({@code schemas/history/NAME.vN.avsc}) decode too: the
 * fingerprint names the writer's version and Avro resolves it to the current one, filling added fields' defaults.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    static {
        AvroTrust.install();
    }

    /**
     * Avro's single-object encoder writes every field to its stream with a call of its own, and a training summary
     * has about two thousand: into a (synchronised) ByteArrayOutputStream an M4 summary took 26-48 us, into this
     * 11-24 us. One buffer per thread, reused (it keeps the size of the largest record its thread encoded).
     */
    private static final ThreadLocal<UnsynchronizedByteArrayOutputStream> BUFFER = ThreadLocal.withInitial(
            () -> UnsynchronizedByteArrayOutputStream.builder().setBufferSize(4096).get());

    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    /** The fingerprints of every version of the schema this serde decodes. */
    private final Set<Long> fingerprints = new HashSet<>();

    private AvroSerde(Class<T> type) {
        var schema = SpecificData.get().getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(PrimitiveArrayWriter.MODEL, schema);
        this.decoder = new BinaryMessageDecoder<>(PrimitiveArrayWriter.MODEL, schema);
        fingerprints.add(SchemaNormalization.parsingFingerprint64(schema));
        for (int version = 1; ; version++) {
            String resource = "/dev/streamlearn/schemas/history/" + schema.getName() + ".v" + version + ".avsc";
            try (InputStream in = AvroSerde.class.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                Schema earlier = new Schema.Parser().parse(in);
                decoder.addSchema(earlier);
                fingerprints.add(SchemaNormalization.parsingFingerprint64(earlier));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public byte[] encode(T record) {
        UnsynchronizedByteArrayOutputStream buffer = BUFFER.get();
        buffer.reset();
        try {
            encoder.encode(record, buffer);
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + record.getSchema().getName(), e);
        }
    }

    /**
     * Whether the bytes start as a single-object encoded record of this schema (any version it decodes): the marker and
     * the schema fingerprint that tell one contract from another on a topic that carries several.
     */
    public boolean writtenWith(byte[] bytes) {
        if (bytes == null || bytes.length < 10 || bytes[0] != (byte) 0xC3 || bytes[1] != 0x01) {
            return false;
        }
        return fingerprints.contains(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    /** Decodes single-object bytes; throws with the reason (bad marker, unknown fingerprint, truncated body). */
    public T decode(byte[] bytes) throws IOException {
        return decode(bytes, null);
    }

    /**
     * As {@link #decode(byte[])}, into {@code reuse} (and its buffers) when not null: no garbage per record. Read
     * through an unsynchronised stream (Avro's stream over a byte array is a synchronised ByteArrayInputStream, read a
     * byte at a time), which also tells whether anything follows the record: trailing bytes are refused, as a record
     * with something appended is not the record its writer sent.
     */
    public T decode(byte[] bytes, T reuse) throws IOException {
        try (UnsynchronizedByteArrayInputStream in = UnsynchronizedByteArrayInputStream.builder().setByteArray(bytes)
                .get()) {
            T record = decoder.decode(in, reuse);
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes after the end of the " + record.getSchema().getName()
                        + " record (" + bytes.length + " in all)");
            }
            return record;
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return decode(bytes);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot decode a record of " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
