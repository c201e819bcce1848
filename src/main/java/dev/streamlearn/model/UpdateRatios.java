package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * ||delta p|| / ||p|| per parameter tensor for one armed step, over the same evenly strided sample of each large
 * tensor as the tensor statistics: the parameters' sample is copied before the update and compared after it.
 */
final class UpdateRatios implements StepObserver {
    private final List<float[]> before = new ArrayList<>();
    private final float[] after = new float[TensorStatistics.SAMPLE_LIMIT];
    private final double[] ratios;
    private boolean armed;

    UpdateRatios(int tensors) {
        this.ratios = new double[tensors];
    }

    /** Makes the next applied step record its ratios. */
    void arm() {
        armed = true;
    }

    /** The ratios of the last armed step, in parameter order. */
    double[] last() {
        return ratios.clone();
    }

    @Override
    public void beforeUpdate(Network network) {
        if (!armed) {
            return;
        }
        List<FloatTensor> parameters = network.parameters();
        for (int t = 0; t < parameters.size(); t++) {
            SamplePlan plan = SamplePlan.of(parameters.get(t).length());
            if (before.size() == t) {
                before.add(new float[plan.size()]);
            }
            parameters.get(t).sample(plan, before.get(t));
        }
    }

    @Override
    public void afterUpdate(Network network, StepOutcome outcome) {
        if (!armed) {
            return;
        }
        armed = false;
        List<FloatTensor> parameters = network.parameters();
        for (int t = 0; t < parameters.size(); t++) {
            FloatTensor parameter = parameters.get(t);
            float[] previous = before.get(t);
            parameter.sample(SamplePlan.of(parameter.length()), after);
            double change = 0;
            double norm = 0;
            for (int s = 0; s < previous.length; s++) {
                double diff = after[s] - previous[s];
                change += diff * diff;
                norm += (double) previous[s] * previous[s];
            }
            ratios[t] = norm == 0 ? (change == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(change / norm);
        }
    }
}
