package dev.streamlearn.monitor;

import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.diagnosis.Rule;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/** The latest summary as Prometheus gauges, for {@code /metrics}. */
final class TrainingMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge step = Gauge.builder().name("streamlearn_step").help("Last training step summarised")
            .register(registry);
    private final Gauge loss = Gauge.builder().name("streamlearn_loss").help("Loss: window mean or EMA")
            .labelNames("kind").register(registry);
    private final Gauge accuracy = Gauge.builder().name("streamlearn_accuracy")
            .help("Prequential (window, cumulative) or held-out (test) accuracy").labelNames("kind")
            .register(registry);
    private final Gauge speed = Gauge.builder().name("streamlearn_samples_per_second")
            .help("Training steps per second over the last window").register(registry);
    private final Gauge gradientNorm = Gauge.builder().name("streamlearn_gradient_norm")
            .help("L2 norm of the last step's gradient").labelNames("tensor").register(registry);
    private final Gauge updateRatio = Gauge.builder().name("streamlearn_update_ratio")
            .help("||delta W|| / ||W|| of the last step (healthy ~1e-3)").labelNames("tensor").register(registry);
    private final Gauge rejected = Gauge.builder().name("streamlearn_dead_letters")
            .help("Records sent to the dead-letter topic since the learner started").register(registry);
    private final Gauge alert = Gauge.builder().name("streamlearn_alert_active")
            .help("1 while a diagnosis rule holds").labelNames("rule", "severity").register(registry);

    void update(TrainingSummary s) {
        step.set(s.getLastStep());
        loss.labelValues("window").set(s.getLossMean());
        loss.labelValues("ema").set(s.getLossEma());
        accuracy.labelValues("window").set(s.getAccuracyWindow());
        accuracy.labelValues("cumulative").set(s.getAccuracyCumulative());
        if (s.getTestAccuracy() != null) {
            accuracy.labelValues("test").set(s.getTestAccuracy());
        }
        speed.set(s.getSamplesPerSecond());
        for (TensorSummary tensor : s.getTensors()) {
            gradientNorm.labelValues(tensor.getName()).set(tensor.getGradient().getL2Norm());
            updateRatio.labelValues(tensor.getName()).set(tensor.getUpdateRatio());
        }
        rejected.set(s.getRejectedRecords() + s.getSkippedUpdates());
        for (Rule rule : Catalogue.ALL) {
            alert.labelValues(rule.name(), rule.severity().name().toLowerCase(Locale.ROOT))
                    .set(s.getAlerts().contains(rule.name()) ? 1 : 0);
        }
    }

    void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
}
