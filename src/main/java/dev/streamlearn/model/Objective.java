package dev.streamlearn.model;

import java.util.Locale;

/**
 * The output head: turns the last layer's pre-activation z into a prediction, a loss and dL/dz.
 *
 * <p>Every head works from z (the logits) so cross-entropy is computed in its numerically stable form. The one
 * exception, {@link #DOUBLE_SIGMOID}, squashes z with a sigmoid and then feeds that to a with-logits loss: it exists
 * only to reproduce a common bug and must be asked for by name.
 */
public enum Objective {
    /** Softmax over the classes with cross-entropy: loss = logsumexp(z) - z_y, dL/dz = softmax(z) - onehot(y). */
    SOFTMAX_CROSS_ENTROPY("softmax-cross-entropy"),
    /** One output, sigmoid with binary cross-entropy from logits: dL/dz = sigmoid(z) - y. */
    SIGMOID_CROSS_ENTROPY("sigmoid-cross-entropy"),
    /** Softmax outputs with mean squared error against the one-hot target. */
    SOFTMAX_MSE("softmax-mse"),
    /** Sigmoid output(s) with mean squared error against the target. */
    SIGMOID_MSE("sigmoid-mse"),
    /** Identity outputs with mean squared error against the target. */
    IDENTITY_MSE("identity-mse"),
    /** The bug "sigmoid, then a sigmoid-with-logits loss": s = sigmoid(z), loss = BCE-with-logits(s, y). */
    DOUBLE_SIGMOID("double-sigmoid"),
    /** Regression: numeric targets, the estimate s z (s the output scale), mean squared error. */
    MSE("mse"),
    /** Regression: numeric targets, the estimate s z, Huber loss: squared within the Huber delta, linear beyond. */
    HUBER("huber");

    private final String flagName;

    Objective(String flagName) {
        this.flagName = flagName;
    }

    public String flagName() {
        return flagName;
    }

    /** Whether this head learns numbers (regression) rather than classes. */
    public boolean isNumeric() {
        return this == MSE || this == HUBER;
    }

    /**
     * The loss of the estimates s z (first n elements) against numeric targets, averaged over the outputs; writes
     * dL/dz into delta. Huber: e^2 / 2 within delta of the target, delta (|e| - delta / 2) beyond.
     */
    float regressionLossAndGradient(FloatTensor z, int n, float[] targets, float scale, float huberDelta,
                                    FloatTensor delta) {
        double loss = 0;
        for (int i = 0; i < n; i++) {
            float error = scale * z.get(i) - targets[i];
            float dLossDError;
            if (this == MSE) {
                loss += error * error;
                dLossDError = 2f * error;
            } else if (Math.abs(error) <= huberDelta) {
                loss += 0.5 * error * error;
                dLossDError = error;
            } else {
                loss += huberDelta * (Math.abs(error) - 0.5 * huberDelta);
                dLossDError = Math.copySign(huberDelta, error);
            }
            delta.set(i, scale * dLossDError / n);
        }
        return (float) (loss / n);
    }

    /**
     * What the head answers for output z (first n elements), without learning: the estimates s z of a numeric head,
     * class probabilities (softmax, or the sigmoid of each output), or the raw outputs of identity-mse.
     */
    float[] answer(FloatTensor z, int n, float scale) {
        float[] answer = new float[n];
        if (this == SOFTMAX_CROSS_ENTROPY || this == SOFTMAX_MSE) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, z.get(i));
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                answer[i] = (float) FastMath.exp(z.get(i) - max);
                sum += answer[i];
            }
            for (int i = 0; i < n; i++) {
                answer[i] = (float) (answer[i] / sum);
            }
            return answer;
        }
        for (int i = 0; i < n; i++) {
            float value = z.get(i);
            answer[i] = switch (this) {
                case SIGMOID_CROSS_ENTROPY, SIGMOID_MSE, DOUBLE_SIGMOID -> Activation.sigmoid(value);
                case MSE, HUBER -> scale * value;
                default -> value;
            };
        }
        return answer;
    }

    /** Whether this head has a single output scoring one class against the rest. */
    public boolean isBinary() {
        return this == SIGMOID_CROSS_ENTROPY || this == DOUBLE_SIGMOID;
    }

    /**
     * Computes the loss of output z (first n elements) against target, writes dL/dz into delta, and returns the loss.
     *
     * @param target the class index for multi-class heads, 0 or 1 for binary heads
     */
    float lossAndGradient(FloatTensor z, int n, int target, FloatTensor delta) {
        switch (this) {
            case SOFTMAX_CROSS_ENTROPY: {
                double logSumExp = softmaxInto(z, n, delta);
                for (int i = 0; i < n; i++) {
                    delta.set(i, delta.get(i) - (i == target ? 1f : 0f));
                }
                return (float) (logSumExp - z.get(target));
            }
            case SIGMOID_CROSS_ENTROPY: {
                float logit = z.get(0);
                delta.set(0, Activation.sigmoid(logit) - target);
                return binaryCrossEntropyWithLogits(logit, target);
            }
            case DOUBLE_SIGMOID: {
                float squashed = Activation.sigmoid(z.get(0));
                float dLossDSquashed = Activation.sigmoid(squashed) - target;
                delta.set(0, dLossDSquashed * squashed * (1f - squashed));
                return binaryCrossEntropyWithLogits(squashed, target);
            }
            case SOFTMAX_MSE: {
                softmaxInto(z, n, delta);
                double loss = 0;
                double weighted = 0;
                for (int i = 0; i < n; i++) {
                    float p = delta.get(i);
                    float diff = p - (i == target ? 1f : 0f);
                    loss += diff * diff;
                    weighted += 2.0 * diff / n * p;
                }
                // Softmax's Jacobian is not diagonal: dL/dz_i = p_i (g_i - sum_j g_j p_j), g = dL/dp.
                for (int i = 0; i < n; i++) {
                    float p = delta.get(i);
                    float g = 2f * (p - (i == target ? 1f : 0f)) / n;
                    delta.set(i, (float) (p * (g - weighted)));
                }
                return (float) (loss / n);
            }
            case SIGMOID_MSE:
            case IDENTITY_MSE: {
                double loss = 0;
                boolean sigmoid = this == SIGMOID_MSE;
                for (int i = 0; i < n; i++) {
                    float a = sigmoid ? Activation.sigmoid(z.get(i)) : z.get(i);
                    float y = n == 1 ? target : (i == target ? 1f : 0f);
                    float diff = a - y;
                    loss += diff * diff;
                    float da = 2f * diff / n;
                    delta.set(i, sigmoid ? da * a * (1f - a) : da);
                }
                return (float) (loss / n);
            }
            default:
                throw new IllegalStateException(this + " learns numbers, not classes");
        }
    }

    /** The predicted class for output z: the arg-max, or for a single output whether the positive class wins. */
    int predict(FloatTensor z, int offset, int n) {
        if (n == 1) {
            float logit = z.get(offset);
            // DOUBLE_SIGMOID users read sigmoid(z) as the probability, as the buggy code did.
            return (this == DOUBLE_SIGMOID ? Activation.sigmoid(logit) > 0.5f : logit > 0f) ? 1 : 0;
        }
        int best = 0;
        float bestValue = z.get(offset);
        for (int i = 1; i < n; i++) {
            float value = z.get(offset + i);
            if (value > bestValue) {
                bestValue = value;
                best = i;
            }
        }
        return best;
    }

    /** Writes softmax(z) into out and returns logsumexp(z), both shifted by max(z) for stability. */
    private static double softmaxInto(FloatTensor z, int n, FloatTensor out) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, z.get(i));
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = FastMath.exp(z.get(i) - max);
            out.set(i, (float) e);
            sum += e;
        }
        for (int i = 0; i < n; i++) {
            out.set(i, (float) (out.get(i) / sum));
        }
        return max + Math.log(sum);
    }

    /** max(x, 0) - x y + log(1 + exp(-|x|)): binary cross-entropy of logit x, never overflowing. */
    static float binaryCrossEntropyWithLogits(float x, int y) {
        return (float) (Math.max(x, 0f) - x * y + Math.log1p(Math.exp(-Math.abs(x))));
    }

    public static Objective parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Objective objective : values()) {
            if (objective.flagName.equals(wanted)) {
                return objective;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "', expected one of softmax-cross-entropy, "
                + "sigmoid-cross-entropy, softmax-mse, sigmoid-mse, identity-mse, double-sigmoid, mse, huber");
    }
}
