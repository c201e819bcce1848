package dev.streamlearn.serving;

import java.util.function.Supplier;
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
     * @param model the version to answer with, read once per record; never empty once the application has started
     *              (it starts after the first version arrived)
     */
    public static Topology buildTopology(InferenceConfig config, Supplier<ServedModel> model) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                config.inputTopic());
        topology.addProcessor(PROCESSOR, () -> new InferenceProcessor(config, model), SOURCE);
        topology.addSink(PREDICTION_SINK, config.predictionsTopic(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, config.deadLetterTopic(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), PROCESSOR);
        return topology;
    }
}
