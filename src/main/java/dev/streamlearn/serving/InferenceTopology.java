package dev.streamlearn.serving;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/** features (raw bytes) -> predict with the served version -> predictions | dead letters. */
public final class InferenceTopology {
    static final String SOURCE = "features";
    static final String PROCESSOR = "predict";
    static final String PREDICTION_SINK = "predictions";
    static final String DEAD_LETTER_SINK = "dead-letters";

    private InferenceTopology() {
    }

    /**
     * @param versions the version to answer each record with, read once per record; the application starts once the
     *                 first version (of every partition's model, with one per partition) has arrived
     */
    public static Topology buildTopology(InferenceConfig config, Versions versions) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                config.inputTopic());
        topology.addProcessor(PROCESSOR, () -> new InferenceProcessor(config, versions), SOURCE);
        topology.addSink(PREDICTION_SINK, config.predictionsTopic(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, config.deadLetterTopic(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), PROCESSOR);
        return topology;
    }
}
