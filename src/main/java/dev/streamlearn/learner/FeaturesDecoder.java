package dev.streamlearn.learner;

import dev.streamlearn.avro.Features;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes a {@link Features} record written with the current schema field by field with Avro's binary decoder, into
 * one reused record whose arrays hold primitives. Avro's datum reader boxes every float of an array on the way into
 * it, which was a fifth of the learner's time on 100-feature rows. Records written with an earlier version of the
 * schema are not for this decoder ({@link #current}); the serde resolves those.
 */
final class FeaturesDecoder {
    private static final Schema SCHEMA = Features.getClassSchema();
    private static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(SCHEMA);
    /** Marker and fingerprint of the single-object encoding. */
    private static final int HEADER = 10;

    private final PrimitivesArrays.FloatArray values =
            new PrimitivesArrays.FloatArray(16, SCHEMA.getField("values").schema());
    private final PrimitivesArrays.IntArray indices =
            new PrimitivesArrays.IntArray(16, SCHEMA.getField("indices").schema().getTypes().get(1));
    private final PrimitivesArrays.DoubleArray target =
            new PrimitivesArrays.DoubleArray(4, SCHEMA.getField("target").schema().getTypes().get(1));
    private final Features row = Features.newBuilder().setValues(values).build();
    private BinaryDecoder decoder;

    /** Whether the bytes are a single-object encoded Features record of the current schema. */
    static boolean current(byte[] bytes) {
        return bytes.length >= HEADER && bytes[0] == (byte) 0xC3 && bytes[1] == 0x01
                && ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() == FINGERPRINT;
    }

    /** The record, valid until the next call; throws with the reason when the body is not a whole record. */
    Features decode(byte[] bytes) throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, decoder);
        values.clear();
        for (long block = decoder.readArrayStart(); block != 0; block = decoder.arrayNext()) {
            for (long k = 0; k < block; k++) {
                values.add(values.size(), decoder.readFloat());
            }
        }
        row.setIndices(null);
        if (decoder.readIndex() == 1) {
            indices.clear();
            for (long block = decoder.readArrayStart(); block != 0; block = decoder.arrayNext()) {
                for (long k = 0; k < block; k++) {
                    indices.add(indices.size(), decoder.readInt());
                }
            }
            row.setIndices(indices);
        }
        row.setSize(decoder.readIndex() == 1 ? decoder.readInt() : null);
        row.setLabel(decoder.readIndex() == 1 ? decoder.readInt() : null);
        row.setTarget(null);
        if (decoder.readIndex() == 1) {
            target.clear();
            for (long block = decoder.readArrayStart(); block != 0; block = decoder.arrayNext()) {
                for (long k = 0; k < block; k++) {
                    target.add(target.size(), decoder.readDouble());
                }
            }
            row.setTarget(target);
        }
        row.setWeight(decoder.readIndex() == 1 ? decoder.readDouble() : null);
        row.setEventTime(decoder.readIndex() == 1 ? Instant.ofEpochMilli(decoder.readLong()) : null);
        row.setSource(decoder.readIndex() == 1 ? decoder.readString() : null);
        if (!decoder.isEnd()) {
            throw new IOException("bytes after the end of the Features record (" + bytes.length + " in all)");
        }
        return row;
    }
}
