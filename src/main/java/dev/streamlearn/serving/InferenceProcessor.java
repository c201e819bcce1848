package dev.streamlearn.serving;

import dev.streamlearn.avro.Prediction;
import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.DeadLetters;
import dev.streamlearn.learner.InputRecord;
import dev.streamlearn.learner.Predictions;
import dev.streamlearn.learner.SampleValidator;
import dev.streamlearn.model.ModelConfig;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Predicts one input record with the version served now: checked as the learner checks its input (a record the
 * learner would refuse goes to the dead-letter topic with the same stage and reason), answered, written as a
 * {@link Prediction} keyed by the input's key. Outputs keep the input's timestamp, so that downstream joins see the
 * features' event time. Records are encoded here; the sinks write bytes.
 */
final class InferenceProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    static {
        AvroTrust.install();
    }

    private final InferenceConfig config;
    private final Versions versions;
    private ProcessorContext<byte[], byte[]> context;
    /** The version last answered with, and the configuration the validator and the prediction writer were made for. */
    private ServedModel answering;
    private ModelConfig checkedFor;
    private SampleValidator validator;
    private Predictions predictions;

    InferenceProcessor(InferenceConfig config, Versions versions) {
        this.config = config;
        this.versions = versions;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> processorContext) {
        this.context = processorContext;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        InputRecord input = new InputRecord(record.key(), record.value(), metadata.topic(), metadata.partition(),
                metadata.offset(), record.timestamp());
        Optional<ServedModel> chosen = versions.forKey(record.key());
        if (chosen.isEmpty()) {
            deadLetter(record, input, "route", "record has no key, and the learner trains one model per partition: "
                    + "a record is answered by the model of its key's partition", null);
            return;
        }
        ServedModel version = chosen.get();
        if (version != answering) {
            answering = version;
            if (!version.config().equals(checkedFor)) {
                checkedFor = version.config();
                validator = new SampleValidator(checkedFor, config.inputFormat());
                predictions = new Predictions(checkedFor, config.top());
            }
        }
        SampleValidator.Checked checked = validator.check(record.value());
        if (!checked.accepted()) {
            deadLetter(record, input, checked.stage(), checked.reason(), checked.cause());
            return;
        }
        float[] answer = version.answer(checked.input().modelInput());
        Prediction prediction = predictions.of(input, version.learner(), version.step(), answer, checked.input());
        context.forward(record.withValue(Topics.PREDICTION_SERDE.encode(prediction)),
                InferenceTopology.PREDICTION_SINK);
    }

    private void deadLetter(Record<byte[], byte[]> record, InputRecord input, String stage, String reason,
                            Throwable cause) {
        byte[] letter = Topics.DEAD_LETTER_SERDE.encode(DeadLetters.of(input, stage, reason, cause));
        context.forward(record.withKey(Serdes.Long().serializer().serialize(config.deadLetterTopic(), input.offset()))
                .withValue(letter), InferenceTopology.DEAD_LETTER_SINK);
    }
}
