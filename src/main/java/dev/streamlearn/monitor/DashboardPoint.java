package dev.streamlearn.monitor;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.RegressionSummary;
import dev.streamlearn.avro.TensorStats;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a summary the web dashboard draws, as compact JSON for its event stream; the learner (a sweep's variant)
 * and the partition tell the models of one stream apart.
 */
record DashboardPoint(String learner, int partition, long step, String model, double loss, double lossEma,
                      Double lossCumulative, Double accuracy,
                      Double accuracyCumulative, Double testAccuracy, double samplesPerSecond, List<Layer> layers,
                      List<String> alerts, Regression regression, Averaging averaging, Drift drift) {

    /** A concept drift signalled in the window: the step, and the error rate before and after. */
    record Drift(long step, double errorBefore, double errorAfter, String action) {
    }

    /** An averaged model's last round as this partition's replica saw it. */
    record Averaging(long round, double relativeDivergence, double waitSeconds) {
    }

    /**
     * A numeric head's window: its prequential MAE and RMSE over the window and since the first step (and the held-out
     * ones when evaluated) and its newest estimate-target pairs, which the dashboard draws as a scatter against the
     * diagonal.
     */
    record Regression(double mae, double rmse, double maeCumulative, double rmseCumulative, Double testMae,
                      Double testRmse, List<Float> estimates, List<Float> targets) {
    }

    /** One layer: its weight tensor's statistics and histograms, and its activations. */
    record Layer(String name, String activation, double weightStd, double gradientNorm, double updateRatio,
                 double deadFraction, double saturatedFraction, Histogram weights, Histogram gradients,
                 List<Float> unitGradients) {
    }

    record Histogram(List<Float> edges, List<Long> counts) {
        static Histogram of(TensorStats stats) {
            return new Histogram(stats.getHistogram().getEdges(), stats.getHistogram().getCounts());
        }
    }

    static DashboardPoint of(TrainingSummary s) {
        List<Layer> layers = new ArrayList<>();
        for (ActivationSummary activation : s.getActivations()) {
            TensorSummary weights = s.getTensors().get(2 * (activation.getLayer() - 1));
            layers.add(new Layer(weights.getName(), activation.getActivation(), weights.getValues().getStd(),
                    weights.getGradient().getL2Norm(), weights.getUpdateRatio(), activation.getDeadFraction(),
                    activation.getSaturatedFraction(), Histogram.of(weights.getValues()),
                    Histogram.of(weights.getGradient()), activation.getUnitGradientMeanAbs()));
        }
        RegressionSummary errors = s.getRegression();
        Regression regression = errors == null ? null : new Regression(errors.getMaeWindow(), errors.getRmseWindow(),
                errors.getMaeCumulative(), errors.getRmseCumulative(), errors.getTestMae(), errors.getTestRmse(),
                errors.getRecentEstimates(), errors.getRecentTargets());
        Averaging averaging = s.getAveraging() == null ? null : new Averaging(s.getAveraging().getRound(),
                s.getAveraging().getRelativeDivergence(), s.getAveraging().getWaitSeconds());
        Drift drift = s.getDrift() == null ? null : new Drift(s.getDrift().getStep(), s.getDrift().getErrorBefore(),
                s.getDrift().getErrorAfter(), s.getDrift().getAction());
        return new DashboardPoint(s.getApplicationId(), s.getInputPartition(), s.getLastStep(), s.getModel(), s.getLossMean(),
                s.getLossEma(), s.getLossCumulative() == null ? null : finite(s.getLossCumulative()),
                finite(s.getAccuracyWindow()), finite(s.getAccuracyCumulative()), s.getTestAccuracy(),
                s.getSamplesPerSecond(), layers, s.getAlerts(), regression, averaging, drift);
    }

    /** JSON has no NaN: a figure that does not apply (accuracy for a numeric head) goes out as null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
