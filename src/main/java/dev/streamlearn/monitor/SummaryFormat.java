package dev.streamlearn.monitor;

import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.util.Locale;

/** How a summary is printed: one human line, or one JSON object (Avro's JSON rendering of the record). */
public enum SummaryFormat {
    LINE {
        @Override
        public String format(TrainingSummary s) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "step %8d  loss %.4f  acc %.3f (cum %.3f)  %,9.0f/s  |grad|", s.getLastStep(), s.getLossMean(),
                    s.getAccuracyWindow(), s.getAccuracyCumulative(), s.getSamplesPerSecond()));
            for (TensorSummary tensor : s.getTensors()) {
                if (tensor.getName().startsWith("W")) {
                    line.append(String.format(Locale.ROOT, " %s %.2e", tensor.getName(),
                            tensor.getGradient().getL2Norm()));
                }
            }
            if (!s.getAlerts().isEmpty()) {
                line.append("  ALERTS ").append(String.join(",", s.getAlerts()));
            }
            return line.toString();
        }
    },
    JSON {
        @Override
        public String format(TrainingSummary s) {
            return s.toString();
        }
    };

    public abstract String format(TrainingSummary summary);
}
