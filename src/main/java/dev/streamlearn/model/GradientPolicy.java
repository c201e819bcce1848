package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * L2 penalty and gradient clipping, applied between back-propagation and the optimiser. With none of them set the
 * raw (factored) gradients pass through untouched, which keeps plain SGD on its rank-1 fast path; otherwise each
 * gradient is materialised into a scratch tensor: g + l2 p, then rescaled to the global norm limit, then clamped.
 */
final class GradientPolicy {
    private final float l2;
    private final float clipValue;
    private final double clipNorm;
    private final List<FloatTensor> parameters;
    private final List<FloatTensor> scratch = new ArrayList<>();
    private final List<Gradient> materialised = new ArrayList<>();

    GradientPolicy(ModelConfig config, List<FloatTensor> parameters) {
        this.l2 = (float) config.l2();
        this.clipValue = (float) config.clipValue();
        this.clipNorm = config.clipNorm();
        this.parameters = parameters;
        if (l2 > 0 || clipValue > 0 || clipNorm > 0) {
            for (FloatTensor parameter : parameters) {
                FloatTensor buffer = FloatTensor.zeros(parameter.shape());
                scratch.add(buffer);
                materialised.add(new Gradient.Dense(buffer, buffer.shape()));
            }
        }
    }

    List<Gradient> apply(List<Gradient> raw) {
        if (scratch.isEmpty()) {
            return raw;
        }
        double sumOfSquares = 0;
        for (int i = 0; i < raw.size(); i++) {
            FloatTensor buffer = scratch.get(i);
            raw.get(i).copyTo(buffer);
            if (l2 > 0) {
                Blas.axpy(l2, parameters.get(i), buffer);
            }
            sumOfSquares += Vectors.sumOfSquares(buffer, buffer.length());
        }
        double norm = Math.sqrt(sumOfSquares);
        if (clipNorm > 0 && norm > clipNorm) {
            for (FloatTensor buffer : scratch) {
                Blas.scale((float) (clipNorm / norm), buffer);
            }
        }
        if (clipValue > 0) {
            for (FloatTensor buffer : scratch) {
                for (int j = 0; j < buffer.length(); j++) {
                    buffer.set(j, Math.max(-clipValue, Math.min(clipValue, buffer.get(j))));
                }
            }
        }
        return materialised;
    }
}
