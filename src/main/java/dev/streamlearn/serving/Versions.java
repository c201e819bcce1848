package dev.streamlearn.serving;

import dev.streamlearn.learner.ModelKey;
import java.util.Map;
import java.util.Optional;

/**
 * Which version answers a record, by the record's key: a learner's one model whatever the key, or with one model per
 * partition the model of the partition the key goes to.
 */
@FunctionalInterface
public interface Versions {
    /**
     * @param key the record's key bytes, or null when it has none
     * @return the version to answer with; empty before there is one, or for a record without a key when each
     *         partition has its own model
     */
    Optional<ServedModel> forKey(byte[] key);

    /**
     * Every version served now, by the training partition whose model it is, or under {@link ModelKey#SINGLE} for a
     * learner's one model.
     */
    default Map<Integer, ServedModel> all() {
        return forKey(null).map(model -> Map.of(ModelKey.SINGLE, model)).orElse(Map.of());
    }
}
