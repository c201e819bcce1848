package dev.streamlearn.kafka;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes Avro's primitive-backed lists ({@link PrimitivesArrays.FloatArray}, {@link PrimitivesArrays.LongArray}) from
 * their primitive values. The generic path boxes every element on its way to the encoder, and a training summary holds
 * about a thousand floats: boxing them cost more than computing them. The bytes written are the same.
 */
final class PrimitiveArrayWriter<T> extends SpecificDatumWriter<T> {
    /**
     * SpecificData whose writers are PrimitiveArrayWriters, and which knows the timestamp conversion: a generated class
     * converts its own timestamp fields, but a timestamp inside a union ({@code Features.eventTime}) is resolved by the
     * model.
     */
    static final SpecificData MODEL = new SpecificData() {
        {
            addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        }

        @Override
        public DatumWriter createDatumWriter(Schema schema) {
            return new PrimitiveArrayWriter<>(schema, this);
        }
    };

    private PrimitiveArrayWriter(Schema schema, SpecificData model) {
        super(schema, model);
    }

    @Override
    protected void writeArray(Schema schema, Object datum, Encoder out) throws IOException {
        if (datum instanceof PrimitivesArrays.FloatArray floats) {
            out.writeArrayStart();
            out.setItemCount(floats.size());
            for (int i = 0; i < floats.size(); i++) {
                out.startItem();
                out.writeFloat(floats.getFloat(i));
            }
            out.writeArrayEnd();
        } else if (datum instanceof PrimitivesArrays.LongArray longs) {
            out.writeArrayStart();
            out.setItemCount(longs.size());
            for (int i = 0; i < longs.size(); i++) {
                out.startItem();
                out.writeLong(longs.getLong(i));
            }
            out.writeArrayEnd();
        } else {
            super.writeArray(schema, datum, out);
        }
    }
}
