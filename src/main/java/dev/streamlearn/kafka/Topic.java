package dev.streamlearn.kafka;

import org.apache.kafka.common.serialization.Serde;

/** A topic name bundled with its key and value serdes, so producers, topologies and tests cannot disagree. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /** The same topic read or written as another record type (a training topic carries Sample, Features or JSON). */
    public <W> Topic<K, W> withValues(Serde<W> values) {
        return new Topic<>(name, keySerde, values);
    }
}
