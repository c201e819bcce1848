package dev.streamlearn.learner;

import dev.streamlearn.model.ModelConfig;

/**
 * One model a learner trains on its stream: with {@code --sweep}, one of several, each trained on every record in
 * turn, with its own id ({@code APPLICATION/NAME}), store, snapshot, summaries, alerts, checkpoints and versions.
 *
 * @param name the settings that set it apart ({@code lr=0.01,init=he-normal}), or null for a learner's one model
 * @param model its configuration
 */
public record Variant(String name, ModelConfig model) {
    /** A learner's one model, under the learner's own id. */
    public static Variant only(ModelConfig model) {
        return new Variant(null, model);
    }

    /** The id its outputs carry: the learner's application id, and its name after a '/' when it has one. */
    public String id(String applicationId) {
        return name == null ? applicationId : applicationId + "/" + name;
    }
}
