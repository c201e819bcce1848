package dev.streamlearn.serving;

import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Network;
import java.time.Instant;

/**
 * One model version as serving holds it: its network, never trained further, and where it came from. Answers are
 * computed on the network's own buffers, so they take turns on this version; a new version is a new object, swapped
 * in whole.
 *
 * @param learner the application id of the learner that published it
 * @param step the version's name: updates applied when it was published
 * @param publishedAt when the learner published it
 */
public record ServedModel(String learner, long step, Instant publishedAt, Network network) {

    public ModelConfig config() {
        return network.config();
    }

    /** The head's answer for one input (class probabilities, or estimates), with the version that made it. */
    public synchronized float[] answer(float[] input) {
        return network.answer(input);
    }
}
