package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.avro.RoundContribution;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topics;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * samples (raw bytes) -> train (one SGD step each, model in a changelogged store) -> summaries | alerts |
 * checkpoints | model versions | dead letters | (with predictions) test-then-train predictions | (averaged) the
 * replicas' contributions to each averaging round.
 */
public final class LearnerTopology {
    static final String MODEL_STORE = "model";
    static final String SOURCE = "samples";
    static final String PROCESSOR = "train";
    static final String SUMMARY_SINK = "summaries";
    static final String DEAD_LETTER_SINK = "dead-letters";
    static final String ALERT_SINK = "alerts";
    static final String CHECKPOINT_SINK = "checkpoints";
    static final String MODEL_SINK = "models";
    static final String PREDICTION_SINK = "predictions";
    static final String ROUND_SINK = "rounds";

    /**
     * The processor's outputs are keyed by step or offset (a Long), model versions by application id, and predictions
     * by their input record's key bytes.
     */
    private static final Serializer<Object> LONG_KEYS = (topic, key) -> Serdes.Long().serializer()
            .serialize(topic, (Long) key);
    private static final Serializer<Object> BYTES_KEYS = (topic, key) -> (byte[]) key;
    private static final Serializer<Object> STRING_KEYS = (topic, key) -> Serdes.String().serializer()
            .serialize(topic, (String) key);

    private LearnerTopology() {
    }

    /** The topology of a learner of one model. */
    public static Topology buildTopology(LearnerConfig config, LearnerServices services) {
        return buildTopology(config, List.of(Variant.only(config.model())), List.of(services));
    }

    /**
     * The topology of a learner of several variants: the source feeds one processor per variant, in variant order, each
     * with its own store (one model keeps the names {@value #PROCESSOR} and {@value #MODEL_STORE}, so its state
     * survives an upgrade); every processor sends to the same sinks, in the transaction of the record.
     */
    public static Topology buildTopology(LearnerConfig config, List<Variant> variants, List<LearnerServices> services) {
        Topics topics = config.topics();
        Topology topology = new Topology();
        topology.addSource(SOURCE, topics.trainRaw().keySerde().deserializer(),
                topics.trainRaw().valueSerde().deserializer(), topics.trainRaw().name());
        String[] processors = new String[variants.size()];
        for (int v = 0; v < variants.size(); v++) {
            LearnerConfig variant = config.forVariant(variants.get(v));
            LearnerServices variantServices = services.get(v);
            String store = variants.size() == 1 ? MODEL_STORE : MODEL_STORE + "-" + v;
            processors[v] = variants.size() == 1 ? PROCESSOR : PROCESSOR + "-" + v;
            boolean first = v == 0;
            topology.addProcessor(processors[v], () -> new TrainingProcessor(variant, variantServices, store, first),
                    SOURCE);
            // Persistent, so that Kafka Streams keeps its process id in the state directory: a restarted instance
            // then opens its producer under the same transactional id, which aborts the dead one's open transaction
            // at once instead of leaving read_committed consumers of every output waiting out its timeout.
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                            Serdes.String(), Serdes.ByteArray())
                    .withLoggingEnabled(Map.of("max.message.bytes", String.valueOf(Topics.MAX_RECORD_BYTES))),
                    processors[v]);
        }
        topology.addSink(SUMMARY_SINK, topics.monitor().name(), LONG_KEYS,
                valueSerializer(TrainingSummary.class, Topics.SUMMARY_SERDE.serializer()), processors);
        topology.addSink(ALERT_SINK, topics.alerts().name(), LONG_KEYS,
                valueSerializer(Alert.class, Topics.ALERT_SERDE.serializer()), processors);
        topology.addSink(CHECKPOINT_SINK, topics.checkpoints().name(), LONG_KEYS,
                valueSerializer(Checkpoint.class, Topics.CHECKPOINT_SERDE.serializer()), processors);
        topology.addSink(MODEL_SINK, topics.models().name(), STRING_KEYS,
                valueSerializer(Checkpoint.class, Topics.CHECKPOINT_SERDE.serializer()), processors);
        if (config.predictions()) {
            topology.addSink(PREDICTION_SINK, topics.predictions().name(), BYTES_KEYS,
                    valueSerializer(Prediction.class, Topics.PREDICTION_SERDE.serializer()), processors);
        }
        if (config.partitioning() == Partitioning.AVERAGED) {
            topology.addSink(ROUND_SINK, topics.rounds().name(), STRING_KEYS,
                    valueSerializer(RoundContribution.class, Topics.ROUND_SERDE.serializer()), processors);
        }
        topology.addSink(DEAD_LETTER_SINK, topics.deadLetter().name(), LONG_KEYS,
                valueSerializer(DeadLetter.class, Topics.DEAD_LETTER_SERDE.serializer()), processors);
        return topology;
    }

    /** The processor forwards several record types; each sink serialises the one type routed to it. */
    private static <T extends SpecificRecord> Serializer<SpecificRecord> valueSerializer(Class<T> type,
                                                                                       Serializer<T> serializer) {
        return (topic, value) -> serializer.serialize(topic, type.cast(value));
    }
}
