package dev.streamlearn.monitor;

import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.diagnosis.Rule;
import dev.streamlearn.avro.RegressionSummary;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The latest summary of each model as Prometheus gauges, for {@code /metrics}: every series is labelled with the
 * model's learner id ({@code APP}, or {@code APP/NAME} for a sweep's variant) and partition, so the models of one
 * stream are series of their own.
 */
final class TrainingMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge step = gauge("streamlearn_step", "Last training step summarised");
    private final Gauge loss = gauge("streamlearn_loss", "Loss: window mean, EMA, or mean since step 1 (cumulative)",
            "kind");
    private final Gauge accuracy = gauge("streamlearn_accuracy",
            "Prequential (window, cumulative) or held-out (test) accuracy of a class head", "kind");
    private final Gauge error = gauge("streamlearn_error",
            "A numeric head's MAE or RMSE, prequential (window, cumulative) or held-out (test)", "measure", "kind");
    private final Gauge speed = gauge("streamlearn_samples_per_second", "Training steps per second over the last window");
    private final Gauge gradientNorm = gauge("streamlearn_gradient_norm", "L2 norm of the last step's gradient",
            "tensor");
    private final Gauge updateRatio = gauge("streamlearn_update_ratio",
            "||delta W|| / ||W|| of the last step (healthy ~1e-3)", "tensor");
    private final Gauge rejected = gauge("streamlearn_dead_letters",
            "Records sent to the dead-letter topic since the learner started");
    private final Gauge alert = gauge("streamlearn_alert_active", "1 while a diagnosis rule holds", "rule",
            "severity");

    /** A gauge labelled by model (learner id and partition), then by its own labels. */
    private Gauge gauge(String name, String help, String... labels) {
        String[] all = new String[labels.length + 2];
        all[0] = "learner";
        all[1] = "partition";
        System.arraycopy(labels, 0, all, 2, labels.length);
        return Gauge.builder().name(name).help(help).labelNames(all).register(registry);
    }

    void update(TrainingSummary s) {
        String learner = s.getApplicationId().toString();
        String partition = String.valueOf(s.getInputPartition());
        step.labelValues(learner, partition).set(s.getLastStep());
        loss.labelValues(learner, partition, "window").set(s.getLossMean());
        loss.labelValues(learner, partition, "ema").set(s.getLossEma());
        if (s.getLossCumulative() != null) {
            loss.labelValues(learner, partition, "cumulative").set(s.getLossCumulative());
        }
        RegressionSummary errors = s.getRegression();
        if (errors == null) {
            accuracy.labelValues(learner, partition, "window").set(s.getAccuracyWindow());
            accuracy.labelValues(learner, partition, "cumulative").set(s.getAccuracyCumulative());
            if (s.getTestAccuracy() != null) {
                accuracy.labelValues(learner, partition, "test").set(s.getTestAccuracy());
            }
        } else {
            error.labelValues(learner, partition, "mae", "window").set(errors.getMaeWindow());
            error.labelValues(learner, partition, "rmse", "window").set(errors.getRmseWindow());
            error.labelValues(learner, partition, "mae", "cumulative").set(errors.getMaeCumulative());
            error.labelValues(learner, partition, "rmse", "cumulative").set(errors.getRmseCumulative());
            if (errors.getTestMae() != null) {
                error.labelValues(learner, partition, "mae", "test").set(errors.getTestMae());
                error.labelValues(learner, partition, "rmse", "test").set(errors.getTestRmse());
            }
        }
        speed.labelValues(learner, partition).set(s.getSamplesPerSecond());
        for (TensorSummary tensor : s.getTensors()) {
            gradientNorm.labelValues(learner, partition, tensor.getName()).set(tensor.getGradient().getL2Norm());
            updateRatio.labelValues(learner, partition, tensor.getName()).set(tensor.getUpdateRatio());
        }
        rejected.labelValues(learner, partition).set(s.getRejectedRecords() + s.getSkippedUpdates());
        for (Rule rule : Catalogue.ALL) {
            alert.labelValues(learner, partition, rule.name(), rule.severity().name().toLowerCase(Locale.ROOT))
                    .set(s.getAlerts().contains(rule.name()) ? 1 : 0);
        }
    }

    void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
}
