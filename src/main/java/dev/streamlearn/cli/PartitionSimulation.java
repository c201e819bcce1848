package dev.streamlearn.cli;

import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.KeyPartitioner;
import dev.streamlearn.model.AveragingSchedule;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.ModelAverage;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of {@code bench --simulate-partitions}: P replicas of one model trained in this process on the split of
 * one MNIST epoch that the producer's keys give a P-partition topic, averaged on the learner's schedule
 * ({@link AveragingSchedule}, {@link ModelAverage}), and the averaging traffic a cluster of P one-core learners would
 * carry at the step rate measured here. Each P > 1 is run twice: at the model's learning rate, and at P times it (an
 * average of P replicas moves by the mean of their updates, so each sample moves the model 1/P as far as in one
 * sequential learner; the linear scaling rule gives that back).
 */
final class PartitionSimulation {
    private final ModelConfig config;
    private final Mnist train;
    private final Mnist test;

    PartitionSimulation(ModelConfig config, Mnist train, Mnist test) {
        this.config = config;
        this.train = train;
        this.test = test;
    }

    /** One row per partition count and averaging interval, in the order given. */
    List<Map<String, Object>> run(List<Integer> partitionCounts, List<Integer> averageEvery) {
        double stepsPerSecond = stepsPerSecond();
        long contributionBytes = ModelSnapshot.bytes(config);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int everyRecords : averageEvery) {
            AveragingSchedule schedule = new AveragingSchedule(everyRecords);
            Outcome single = simulate(config, 1, schedule);
            for (int partitions : partitionCounts) {
                Outcome outcome = partitions == 1 ? single : simulate(config, partitions, schedule);
                Outcome scaled = partitions == 1 ? single
                        : simulate(config.withLearningRate(config.learningRate() * partitions), partitions, schedule);
                double roundsPerSecond = stepsPerSecond / everyRecords;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("partitions", partitions);
                row.put("averageEvery", everyRecords);
                row.put("rounds", outcome.rounds());
                row.put("testAccuracy", outcome.testAccuracy());
                row.put("pointsBelowOnePartition", 100 * (single.testAccuracy() - outcome.testAccuracy()));
                row.put("lastRoundRelativeDivergence", outcome.relativeDivergence());
                row.put("testAccuracyLearningRateTimesP", scaled.testAccuracy());
                row.put("pointsBelowOnePartitionLearningRateTimesP", 100 * (single.testAccuracy()
                        - scaled.testAccuracy()));
                row.put("writtenMiBPerSecond", partitions * contributionBytes * roundsPerSecond / (1 << 20));
                row.put("readMiBPerSecond", (double) partitions * partitions * contributionBytes * roundsPerSecond
                        / (1 << 20));
                rows.add(row);
            }
        }
        return rows;
    }

    /** What one epoch left: the last round's average (what the learner publishes), judged on the test split. */
    private record Outcome(long rounds, double testAccuracy, double relativeDivergence) {
    }

    private Outcome simulate(ModelConfig replicaConfig, int partitions, AveragingSchedule schedule) {
        List<List<Integer>> rowsOf = split(partitions);
        List<OnlineTrainer> replicas = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            replicas.add(new OnlineTrainer(replicaConfig));
        }
        long rounds = Long.MAX_VALUE;
        for (List<Integer> rows : rowsOf) {
            rounds = Math.min(rounds, schedule.roundsIn(rows.size()));
        }
        byte[] image = new byte[train.pixelsPerImage()];
        double relativeDivergence = 0;
        for (long round = 0; round < rounds; round++) {
            for (int p = 0; p < partitions; p++) {
                List<Integer> rows = rowsOf.get(p);
                for (long r = round * schedule.everyRecords(); r < (round + 1) * schedule.everyRecords(); r++) {
                    int row = rows.get((int) r);
                    System.arraycopy(train.pixels(), row * image.length, image, 0, image.length);
                    replicas.get(p).step(image, train.labels()[row]);
                }
            }
            ModelAverage average = ModelAverage.of(replicas);
            replicas.forEach(average::applyTo);
            relativeDivergence = average.relativeDivergence();
        }
        double accuracy = new BatchEvaluator(replicas.get(0).network(), 1000).accuracy(test.pixels(), test.labels());
        return new Outcome(rounds, accuracy, relativeDivergence);
    }

    /** Each partition's rows, in the order the producer sends them (file order, keyed by index). */
    private List<List<Integer>> split(int partitions) {
        List<List<Integer>> rowsOf = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            rowsOf.add(new ArrayList<>());
        }
        for (int row = 0; row < train.count(); row++) {
            rowsOf.get(KeyPartitioner.partitionOfIndex(row, partitions)).add(row);
        }
        return rowsOf;
    }

    /** One core's per-sample step rate on this model, after a warm-up epoch: what each learner of a cluster runs at. */
    private double stepsPerSecond() {
        OnlineTrainer trainer = new OnlineTrainer(config);
        byte[] image = new byte[train.pixelsPerImage()];
        double best = 0;
        for (int pass = 0; pass < 2; pass++) {
            long start = System.nanoTime();
            for (int row = 0; row < train.count(); row++) {
                System.arraycopy(train.pixels(), row * image.length, image, 0, image.length);
                trainer.step(image, train.labels()[row]);
            }
            best = Math.max(best, train.count() / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }
}
