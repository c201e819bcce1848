package dev.streamlearn.monitor;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.TensorStats;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayList;
import java.util.List;

/** The part of a summary the web dashboard draws, as compact JSON for its event stream. */
record DashboardPoint(long step, String model, double loss, double lossEma, double accuracy,
                      double accuracyCumulative, Double testAccuracy, double samplesPerSecond, List<Layer> layers,
                      List<String> alerts) {

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
        return new DashboardPoint(s.getLastStep(), s.getModel(), s.getLossMean(), s.getLossEma(),
                s.getAccuracyWindow(), s.getAccuracyCumulative(), s.getTestAccuracy(), s.getSamplesPerSecond(), layers,
                s.getAlerts());
    }
}
