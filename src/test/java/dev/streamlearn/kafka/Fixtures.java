package dev.streamlearn.kafka;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.Histogram;
import dev.streamlearn.avro.TensorRole;
import dev.streamlearn.avro.TensorStats;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import java.time.Instant;
import java.util.List;

/** Named test records. */
public final class Fixtures {
    private Fixtures() {
    }

    public static TensorStats stats(double l2) {
        return TensorStats.newBuilder().setMean(0.1).setStd(0.2).setMin(-1).setMax(1).setL2Norm(l2)
                .setZeroFraction(0).setNonFiniteCount(0)
                .setHistogram(Histogram.newBuilder().setEdges(List.of(-1f, 0f, 1f)).setCounts(List.of(3L, 4L)).build())
                .build();
    }

    /** A one-layer summary ending at lastStep. */
    public static TrainingSummary summary(long lastStep) {
        TensorSummary weights = TensorSummary.newBuilder().setName("W1").setRole(TensorRole.WEIGHT).setLayer(1).setShape(List.of(10, 784))
                .setValues(stats(1.5)).setGradient(stats(0.25)).setGradientMeanAbsWindow(0.01).setUpdateRatio(1e-3)
                .build();
        ActivationSummary layer = ActivationSummary.newBuilder().setLayer(1).setActivation("identity").setMean(0)
                .setStd(1).setDeadFraction(0).setSaturatedFraction(0).setUnitGradientMeanAbs(List.of(0.1f, 0.2f))
                .build();
        return TrainingSummary.newBuilder().setApplicationId("app").setModel("M2").setFirstStep(lastStep - 99)
                .setLastStep(lastStep).setInputTopic("mnist.train").setInputPartition(0).setFirstOffset(lastStep - 100)
                .setLastOffset(lastStep - 1).setFirstEventTime(Instant.ofEpochMilli(1))
                .setLastEventTime(Instant.ofEpochMilli(2)).setProcessedAt(Instant.ofEpochMilli(3))
                .setSamplesPerSecond(1000).setLearningRate(0.01).setLossMean(0.5).setLossEma(0.6)
                .setAccuracyWindow(0.9).setAccuracyCumulative(0.8).setTestAccuracy(null).setRejectedRecords(0)
                .setSkippedUpdates(0).setTensors(List.of(weights)).setActivations(List.of(layer))
                .setAlerts(List.of()).build();
    }
}
