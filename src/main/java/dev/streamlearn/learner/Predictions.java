package dev.streamlearn.learner;

import dev.streamlearn.avro.ClassProbability;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.model.ModelConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what a model answered for one input record as a {@link Prediction}: the one way both streaming inference
 * and the learner's test-then-train predictions say it.
 */
public final class Predictions {
    /** Classes a prediction lists unless told otherwise. */
    public static final int DEFAULT_TOP = 3;

    private final ModelConfig config;
    private final int top;

    /**
     * @param config the answering model's configuration (its head decides the fields)
     * @param top how many of the most probable classes to list, >= 1 (at most the model's classes are)
     */
    public Predictions(ModelConfig config, int top) {
        if (top < 1) {
            throw new IllegalArgumentException("top is " + top + ", expected >= 1");
        }
        this.config = config;
        this.top = Math.min(top, config.outputSize());
    }

    /**
     * @param learner the application id of the learner whose model answered
     * @param step the answering version's step
     * @param answer the head's answer ({@link dev.streamlearn.model.Network#answer})
     * @param input the checked input, for the truth it carried
     */
    public Prediction of(InputRecord record, String learner, long step, float[] answer, TrainingInput input) {
        Prediction.Builder prediction = Prediction.newBuilder()
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setTimestamp(Instant.ofEpochMilli(record.timestamp()))
                .setLearner(learner)
                .setModelStep(step)
                .setLabel(input.label >= 0 ? input.label : null)
                .setTarget(input.numeric ? targets(input.targets) : null);
        if (config.loss().isNumeric()) {
            List<Float> values = new ArrayList<>(answer.length);
            for (float value : answer) {
                values.add(value);
            }
            return prediction.setTop(List.of()).setValues(values).build();
        }
        if (config.loss().isBinary()) {
            return prediction.setPositive(answer[0] > 0.5f)
                    .setTop(List.of(new ClassProbability(config.positiveClass(), answer[0]))).build();
        }
        List<ClassProbability> best = mostProbable(answer);
        return prediction.setPredictedClass(best.get(0).getLabel()).setTop(best).build();
    }

    /** The top classes, most probable first; of equal probabilities the lower class first. */
    private List<ClassProbability> mostProbable(float[] probabilities) {
        List<ClassProbability> best = new ArrayList<>(top);
        boolean[] taken = new boolean[probabilities.length];
        for (int k = 0; k < top; k++) {
            int max = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken[i] && (max < 0 || probabilities[i] > probabilities[max])) {
                    max = i;
                }
            }
            taken[max] = true;
            best.add(new ClassProbability(max, probabilities[max]));
        }
        return best;
    }

    private static List<Double> targets(float[] values) {
        List<Double> targets = new ArrayList<>(values.length);
        for (float value : values) {
            targets.add((double) value);
        }
        return targets;
    }
}
