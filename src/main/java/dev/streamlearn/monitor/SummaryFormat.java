package dev.streamlearn.monitor;

import dev.streamlearn.avro.TensorRole;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.avro.TrainingSummary;
import java.util.Locale;

/** One summary as one line: for people, as JSON (Avro's JSON rendering of the record), or as CSV. */
public enum SummaryFormat {
    LINE {
        @Override
        public String format(TrainingSummary s) {
            String figures = s.getRegression() == null
                    ? String.format(Locale.ROOT, "acc %.3f (cum %.3f)", s.getAccuracyWindow(), s.getAccuracyCumulative())
                    : String.format(Locale.ROOT, "mae %.4g (cum %.4g)", s.getRegression().getMaeWindow(),
                            s.getRegression().getMaeCumulative());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "step %8d  loss %.4f  %s  %,9.0f/s  |grad|", s.getLastStep(), s.getLossMean(), figures,
                    s.getSamplesPerSecond()));
            for (TensorSummary tensor : s.getTensors()) {
                if (isWeight(tensor)) {
                    line.append(String.format(Locale.ROOT, " %s %.2e", tensor.getName(),
                            tensor.getGradient().getL2Norm()));
                }
            }
            if (s.getTestAccuracy() != null) {
                line.append(String.format(Locale.ROOT, "  test %.4f", s.getTestAccuracy()));
            }
            if (!s.getAlerts().isEmpty()) {
                line.append("  alerts ").append(String.join(", ",
                        s.getAlerts().stream().map(Catalogue::withSeverity).toList()));
            }
            return line.toString();
        }
    },
    JSON {
        @Override
        public String format(TrainingSummary s) {
            return s.toString();
        }
    },
    /** step, loss, accuracies, speed, then gradient norm and update ratio of each weight tensor; see {@link #header}. */
    CSV {
        @Override
        public String format(TrainingSummary s) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d,%.6g,%.6g,%s,%.6g,%.6g,%s,%.1f",
                    s.getLastStep(), s.getLossMean(), s.getLossEma(), s.getLossCumulative() == null ? ""
                            : String.format(Locale.ROOT, "%.6g", s.getLossCumulative()), s.getAccuracyWindow(),
                    s.getAccuracyCumulative(), s.getTestAccuracy() == null ? "" : s.getTestAccuracy().toString(),
                    s.getSamplesPerSecond()));
            for (TensorSummary tensor : s.getTensors()) {
                if (isWeight(tensor)) {
                    line.append(String.format(Locale.ROOT, ",%.6g,%.6g", tensor.getGradient().getL2Norm(),
                            tensor.getUpdateRatio()));
                }
            }
            return line.append(',').append(String.join(";", s.getAlerts())).toString();
        }
    };

    public abstract String format(TrainingSummary summary);

    /** A layer's weights, by the summary's role field, or for records written before roles, by the name W1, W2... */
    static boolean isWeight(TensorSummary tensor) {
        return tensor.getRole() != null ? tensor.getRole() == TensorRole.WEIGHT : tensor.getName().startsWith("W");
    }

    /** The CSV header line for summaries shaped like this one. */
    public static String header(TrainingSummary s) {
        StringBuilder header = new StringBuilder(
                "step,loss_mean,loss_ema,loss_cumulative,accuracy_window,accuracy_cumulative,test_accuracy,"
                        + "samples_per_second");
        for (TensorSummary tensor : s.getTensors()) {
            if (isWeight(tensor)) {
                header.append(',').append(tensor.getName()).append("_grad_norm,").append(tensor.getName())
                        .append("_update_ratio");
            }
        }
        return header.append(",alerts").toString();
    }
}
