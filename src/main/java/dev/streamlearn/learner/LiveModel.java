package dev.streamlearn.learner;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A handle on the trainers the learner's processors are using (one per input partition this instance trains), and
 * on the counts around them, for the code that started the learner in the same JVM (export the weights when it stops, report on the job, evaluate on the test split). It is
 * published once the processor has restored and caught up, so from then on it holds at least every committed record.
 * Read it only after the learner has stopped or while holding no expectation that it stands still.
 */
public final class LiveModel {
    /** What one partition's processor has published. */
    private record Published(OnlineTrainer trainer, Supplier<Progress> progress) {
    }

    private final Map<Integer, Published> published = new ConcurrentHashMap<>();
    private final Map<Integer, Long> versionSteps = new ConcurrentHashMap<>();
    /** With averaged partitioning: the latest round applied here and the model it gave, as a snapshot. */
    private volatile AveragedModel averaged;

    /** The model an averaging round gave every replica. */
    private record AveragedModel(long round, byte[] snapshot) {
    }

    /**
     * What became of the records besides the steps, since training began, and the alerts active now.
     *
     * @param rejected records refused (dead letters)
     * @param skipped updates not applied because they were not finite (dead letters too)
     * @param unlabelled records with no target: counted, not trained
     * @param activeAlerts the rules whose alerts are raised, in rule order
     * @param lastSummary the newest summary this process made (its window's loss, accuracy or errors), null before
     *                    the first
     */
    public record Progress(long rejected, long skipped, long unlabelled, List<String> activeAlerts,
                           TrainingSummary lastSummary) {
    }

    void publish(int partition, OnlineTrainer current, Supplier<Progress> currentProgress) {
        published.put(partition, new Published(current, currentProgress));
    }

    /** The trainer of partition 0: a single-partition learner's only model. */
    public Optional<OnlineTrainer> trainer() {
        return trainer(0);
    }

    /** The trainer of the model of one input partition, once this instance has restored it. */
    public Optional<OnlineTrainer> trainer(int partition) {
        Published model = published.get(partition);
        return model == null ? Optional.empty() : Optional.of(model.trainer());
    }

    /** The input partitions whose models this instance has published, in order. */
    public SortedSet<Integer> partitions() {
        return new TreeSet<>(published.keySet());
    }

    void roundApplied(long round, OnlineTrainer average) {
        AveragedModel latest = averaged;
        if (latest == null || latest.round() < round) {
            averaged = new AveragedModel(round, ModelSnapshot.write(average));
        }
    }

    /** With averaged partitioning: the model of the latest round any replica here has applied, a copy. */
    public Optional<OnlineTrainer> averaged() {
        AveragedModel latest = averaged;
        return latest == null ? Optional.empty() : Optional.of(ModelSnapshot.read(latest.snapshot()));
    }

    /** The round {@link #averaged()} comes from, or 0 before the first. */
    public long averagedRound() {
        AveragedModel latest = averaged;
        return latest == null ? 0 : latest.round();
    }

    void versionSent(int partition, long step) {
        versionSteps.put(partition, step);
    }

    /** The step of partition 0's last model version sent to the models topic (committed with the next commit), or -1. */
    public long versionStep() {
        return versionStep(0);
    }

    /** The step of a partition's last model version sent to the models topic, or -1. */
    public long versionStep(int partition) {
        return versionSteps.getOrDefault(partition, -1L);
    }

    /** Partition 0's progress: a single-partition learner's. */
    public Optional<Progress> progress() {
        return progress(0);
    }

    /** The progress of the model of one input partition, once this instance has restored it. */
    public Optional<Progress> progress(int partition) {
        Published model = published.get(partition);
        return model == null ? Optional.empty() : Optional.of(model.progress().get());
    }
}
