package dev.streamlearn.join;

import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.DeadLetters;
import dev.streamlearn.learner.InputRecord;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * features | labels -> checked (dead letters out) -> windowed outer join by key -> labelled records to the training
 * topic | features without a label in time (counted; kept with an unlabelled topic) | labels without features in
 * time (counted). The window is symmetric: a label may come before its features too. Unmatched records leave once
 * the window has closed in stream time, that is when later records have arrived.
 */
public final class LabelJoinTopology {
    private static final Produced<Bytes, byte[]> BYTES = Produced.with(Serdes.Bytes(), Serdes.ByteArray());

    private LabelJoinTopology() {
    }

    /** A record as checked: its value, or its dead letter (encoded). */
    private record Checked(byte[] value, byte[] deadLetter) {
        boolean refused() {
            return deadLetter != null;
        }
    }

    /** One result of the outer join: features, label, or both. */
    private record Pair(byte[] features, byte[] label) {
    }

    public static Topology buildTopology(JoinConfig config, JoinCounts counts) {
        AvroTrust.install();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<Bytes, byte[]> features = valid(builder, config.featuresTopic(), "features", config, counts,
                value -> LabelledRecords.featuresProblem(value, config.format()));
        KStream<Bytes, byte[]> labels = valid(builder, config.labelsTopic(), "labels", config, counts,
                value -> LabelledRecords.labelProblem(value, config.format()));
        Map<String, KStream<Bytes, Pair>> joined = features
                .outerJoin(labels, Pair::new, JoinWindows.ofTimeDifferenceWithNoGrace(config.within()),
                        StreamJoined.with(Serdes.Bytes(), Serdes.ByteArray(), Serdes.ByteArray())
                                .withName("label-join").withStoreName("label-join"))
                .split(Named.as("joined-"))
                .branch((key, pair) -> pair.features() != null && pair.label() != null, Branched.as("labelled"))
                .branch((key, pair) -> pair.features() != null, Branched.as("unlabelled"))
                .defaultBranch(Branched.as("orphan-labels"));
        Map<String, KStream<Bytes, Checked>> labelled = joined.get("joined-labelled")
                .processValues(() -> new Labelling(config, counts), Named.as("label"))
                .split(Named.as("labelling-"))
                .branch((key, checked) -> checked.refused(), Branched.as("refused"))
                .defaultBranch(Branched.as("done"));
        labelled.get("labelling-refused").mapValues(Checked::deadLetter).to(config.deadLetterTopic(), BYTES);
        labelled.get("labelling-done").mapValues(Checked::value).to(config.trainingTopic(), BYTES);
        KStream<Bytes, byte[]> unlabelled = joined.get("joined-unlabelled")
                .peek((key, pair) -> counts.unlabelled.incrementAndGet()).mapValues(Pair::features);
        if (config.unlabelledTopic() != null) {
            unlabelled.to(config.unlabelledTopic(), BYTES);
        }
        joined.get("joined-orphan-labels").foreach((key, pair) -> counts.orphanLabels.incrementAndGet());
        return builder.build();
    }

    /** The records of a topic the join can use; the others go to the dead-letter topic with their reason. */
    private static KStream<Bytes, byte[]> valid(StreamsBuilder builder, String topic, String name, JoinConfig config,
                                                JoinCounts counts, Function<byte[], String> problem) {
        Map<String, KStream<Bytes, Checked>> checked = builder.stream(topic,
                        Consumed.with(Serdes.Bytes(), Serdes.ByteArray()).withName(name))
                .processValues(() -> new Checking(problem, counts), Named.as("check-" + name))
                .split(Named.as(name + "-"))
                .branch((key, record) -> record.refused(), Branched.as("refused"))
                .defaultBranch(Branched.as("valid"));
        checked.get(name + "-refused").mapValues(Checked::deadLetter).to(config.deadLetterTopic(), BYTES);
        return checked.get(name + "-valid").mapValues(Checked::value);
    }

    private static byte[] deadLetter(FixedKeyProcessorContext<?, ?> context, FixedKeyRecord<Bytes, byte[]> record,
                                     String stage, String reason) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        InputRecord input = new InputRecord(record.key() == null ? null : record.key().get(), record.value(),
                metadata.topic(), metadata.partition(), metadata.offset(), record.timestamp());
        return Topics.DEAD_LETTER_SERDE.encode(DeadLetters.of(input, stage, reason, null));
    }

    /** Checks one input record; a record without a key cannot be joined and is refused too. */
    private static final class Checking implements FixedKeyProcessor<Bytes, byte[], Checked> {
        private final Function<byte[], String> problem;
        private final JoinCounts counts;
        private FixedKeyProcessorContext<Bytes, Checked> context;

        Checking(Function<byte[], String> problem, JoinCounts counts) {
            this.problem = problem;
            this.counts = counts;
        }

        @Override
        public void init(FixedKeyProcessorContext<Bytes, Checked> processorContext) {
            this.context = processorContext;
        }

        @Override
        public void process(FixedKeyRecord<Bytes, byte[]> record) {
            String reason = record.key() == null ? "record has no key; features and labels are joined by key"
                    : problem.apply(record.value());
            if (reason == null) {
                context.forward(record.withValue(new Checked(record.value(), null)));
            } else {
                counts.deadLetters.incrementAndGet();
                context.forward(record.withValue(new Checked(null, deadLetter(context, record, "decode", reason))));
            }
        }
    }

    /** Writes the label into its features; features that cannot carry it (numbers for a Sample) are refused. */
    private static final class Labelling implements FixedKeyProcessor<Bytes, Pair, Checked> {
        private final JoinConfig config;
        private final JoinCounts counts;
        private FixedKeyProcessorContext<Bytes, Checked> context;

        Labelling(JoinConfig config, JoinCounts counts) {
            this.config = config;
            this.counts = counts;
        }

        @Override
        public void init(FixedKeyProcessorContext<Bytes, Checked> processorContext) {
            this.context = processorContext;
        }

        @Override
        public void process(FixedKeyRecord<Bytes, Pair> record) {
            Pair pair = record.value();
            try {
                byte[] labelled = LabelledRecords.withLabel(pair.features(), pair.label(), config.format());
                counts.labelled.incrementAndGet();
                context.forward(record.withValue(new Checked(labelled, null)));
            } catch (IllegalArgumentException e) {
                counts.deadLetters.incrementAndGet();
                context.forward(record.withValue(new Checked(null, deadLetter(context,
                        record.withValue(pair.features()), "join", e.getMessage() + " (the features' position is "
                                + "that of the record that completed the join)"))));
            }
        }
    }
}
