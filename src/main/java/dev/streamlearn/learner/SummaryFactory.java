package dev.streamlearn.learner;

import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.Histogram;
import dev.streamlearn.avro.RegressionSummary;
import dev.streamlearn.avro.TensorStats;
import dev.streamlearn.avro.TensorRole;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.model.FloatTensor;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.TensorStatistics;
import dev.streamlearn.model.TrainingWindow;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Builds the {@link TrainingSummary} of a window right after its last step, while the layer buffers still hold
 * that step's activations and deltas (so its gradient can be rebuilt without having been stored).
 */
final class SummaryFactory {
    static {
        AvroTrust.install();
    }

    private static final Schema EDGES = Histogram.getClassSchema().getField("edges").schema();
    private static final Schema COUNTS = Histogram.getClassSchema().getField("counts").schema();
    private static final Schema UNITS = ActivationSummary.getClassSchema().getField("unitGradientMeanAbs").schema();
    private static final Schema PAIRS = RegressionSummary.getClassSchema().getField("recentEstimates").schema();

    private final String applicationId;
    private final String inputTopic;
    private final int histogramBins;
    private ModelConfig describedConfig;
    private String modelDescription;

    SummaryFactory(String applicationId, String inputTopic, int histogramBins) {
        this.applicationId = applicationId;
        this.inputTopic = inputTopic;
        this.histogramBins = histogramBins;
    }

    /** Where the window's records came from and when. */
    record WindowSpan(int partition, long firstOffset, long lastOffset, long firstEventTime, long lastEventTime,
                      long startNanos) {
    }

    /** The counts of records that did not become steps, since training began. */
    record Counts(long rejected, long skipped, long unlabelled) {
    }

    TrainingSummary build(OnlineTrainer trainer, WindowSpan span, Counts counts) {
        TrainingWindow window = trainer.window();
        long lastStep = trainer.updates();
        double seconds = (System.nanoTime() - span.startNanos()) / 1e9;
        return TrainingSummary.newBuilder()
                .setApplicationId(applicationId)
                .setModel(describe(trainer.config()))
                .setFirstStep(lastStep - window.steps() + 1)
                .setLastStep(lastStep)
                .setInputTopic(inputTopic)
                .setInputPartition(span.partition())
                .setFirstOffset(span.firstOffset())
                .setLastOffset(span.lastOffset())
                .setFirstEventTime(java.time.Instant.ofEpochMilli(span.firstEventTime()))
                .setLastEventTime(java.time.Instant.ofEpochMilli(span.lastEventTime()))
                .setProcessedAt(java.time.Instant.now())
                .setSamplesPerSecond(seconds > 0 ? window.steps() / seconds : 0)
                .setLearningRate(trainer.lastLearningRate())
                .setLossMean(window.lossMean())
                .setLossEma(window.lossEma())
                .setLossCumulative(window.cumulativeLossMean())
                .setAccuracyWindow(window.accuracy())
                .setAccuracyCumulative(window.cumulativeAccuracy())
                .setTestAccuracy(null)
                .setRejectedRecords(counts.rejected())
                .setSkippedUpdates(counts.skipped())
                .setUnlabelledRecords(counts.unlabelled())
                .setRegression(window.numeric() ? regression(window) : null)
                .setTensors(tensors(trainer))
                .setActivations(activations(window))
                .setAlerts(List.of())
                .build();
    }

    /** The model's description, built once: formatting it for every summary cost more than its statistics. */
    private String describe(ModelConfig config) {
        if (config != describedConfig) {
            describedConfig = config;
            modelDescription = config.describe();
        }
        return modelDescription;
    }

    private List<TensorSummary> tensors(OnlineTrainer trainer) {
        List<FloatTensor> parameters = trainer.network().parameters();
        List<String> names = trainer.network().parameterNames();
        double[] ratios = trainer.lastUpdateRatios();
        List<TensorSummary> summaries = new ArrayList<>(parameters.size());
        for (int t = 0; t < parameters.size(); t++) {
            List<Integer> shape = new ArrayList<>();
            for (int d : parameters.get(t).shape()) {
                shape.add(d);
            }
            summaries.add(TensorSummary.newBuilder()
                    .setName(names.get(t))
                    .setLayer(t / 2 + 1)
                    .setRole(t % 2 == 0 ? TensorRole.WEIGHT : TensorRole.BIAS)
                    .setShape(shape)
                    .setValues(stats(TensorStatistics.of(parameters.get(t), histogramBins)))
                    .setGradient(stats(trainer.network().lastGradientStatistics(t, histogramBins)))
                    .setGradientMeanAbsWindow(trainer.window().gradientMeanAbs(t))
                    .setUpdateRatio(ratios[t])
                    .build());
        }
        return summaries;
    }

    private static TensorStats stats(TensorStatistics s) {
        List<Float> edges = floats(s.edges(), EDGES);
        PrimitivesArrays.LongArray counts = new PrimitivesArrays.LongArray(s.counts().length, COUNTS);
        for (long count : s.counts()) {
            counts.add(counts.size(), count);
        }
        return TensorStats.newBuilder()
                .setMean(s.mean()).setStd(s.std()).setMin(s.min()).setMax(s.max()).setL2Norm(s.l2Norm())
                .setZeroFraction(s.zeroFraction()).setNonFiniteCount(s.nonFiniteCount())
                .setHistogram(Histogram.newBuilder().setEdges(edges).setCounts(counts).build())
                .build();
    }

    /**
     * The values in a list backed by a float[]: no boxing here, nor when the serde writes it (see the kafka package's
     * primitive array writer). A summary holds about a thousand floats; boxed, they were most of its cost.
     */
    private static List<Float> floats(float[] values, Schema arraySchema) {
        PrimitivesArrays.FloatArray list = new PrimitivesArrays.FloatArray(values.length, arraySchema);
        for (float value : values) {
            list.add(list.size(), value);
        }
        return list;
    }

    private static RegressionSummary regression(TrainingWindow window) {
        float[][] pairs = window.recentPairs();
        return RegressionSummary.newBuilder()
                .setMaeWindow(window.meanAbsoluteError()).setRmseWindow(window.rootMeanSquaredError())
                .setMaeCumulative(window.cumulativeMeanAbsoluteError())
                .setRmseCumulative(window.cumulativeRootMeanSquaredError())
                .setEstimateStd(window.estimateStd()).setTargetStd(window.targetStd())
                .setTestMae(null).setTestRmse(null).setTestR2(null)
                .setRecentEstimates(floats(pairs[0], PAIRS)).setRecentTargets(floats(pairs[1], PAIRS))
                .build();
    }

    private static List<ActivationSummary> activations(TrainingWindow window) {
        List<ActivationSummary> layers = new ArrayList<>(window.layerCount());
        for (int l = 0; l < window.layerCount(); l++) {
            List<Float> units = floats(window.unitGradientMeanAbs(l), UNITS);
            layers.add(ActivationSummary.newBuilder()
                    .setLayer(l + 1)
                    .setActivation(window.activationName(l))
                    .setMean(window.activationMean(l))
                    .setStd(window.activationStd(l))
                    .setDeadFraction(window.deadFraction(l))
                    .setSaturatedFraction(window.saturatedFraction(l))
                    .setUnitGradientMeanAbs(units)
                    .build());
        }
        return layers;
    }
}
