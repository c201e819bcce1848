package dev.streamlearn.cli;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.CheckpointReader;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.learner.TestSet;
import dev.streamlearn.learner.Variant;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.Npz;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains again on a range of the training topic, under its own application id and with its own output topics. From
 * offset 0 with the live learner's model flags it rebuilds the live model bit for bit; with other flags it is a
 * what-if run on the identical stream. From a checkpoint it continues that checkpoint's model and optimiser exactly
 * (model flags are then ignored: the checkpoint carries its configuration).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-train on a range of the training topic under a new application id, writing to its own "
                + "monitor topic (REPLAYID.learner.monitor).")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    ModelOptions model;

    @Mixin
    InputOptions inputOptions;

    @Mixin
    DriftOptions drift;

    @ArgGroup(exclusive = true)
    Start start;

    static final class Start {
        @Option(names = "--from-offset", paramLabel = "N", description = "Start a fresh model at input offset N.")
        Long offset;

        @Option(names = "--from-timestamp", paramLabel = "TIME",
                description = "Start a fresh model at the first sample produced at or after TIME (ISO-8601).")
        Instant timestamp;

        @Option(names = "--from-checkpoint", paramLabel = "STEP|latest",
                description = "Continue the model of a checkpoint from the offset it had reached.")
        String checkpoint;
    }

    @Option(names = "--to-offset", paramLabel = "M",
            description = "Stop before input offset M (default: the end of the topic when the replay starts).")
    Long toOffset;

    @Option(names = "--application-id", description = "Default: streamlearn-replay-YYYYMMDD-HHMMSS.")
    String applicationId;

    @Option(names = "--learner", paramLabel = "APPLICATION_ID",
            description = "With --from-checkpoint: whose checkpoint, when several learners write to the topic.")
    String learner;

    @Option(names = "--export", paramLabel = "FILE.npz", description = "Write the final weights.")
    Path export;

    @Option(names = "--state-dir", defaultValue = "data/streams", description = "Kafka Streams local state.")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        if (kafka.printedConfig()) {
            return 0;
        }
        if (start == null) {
            throw new IllegalArgumentException("say where to start: --from-offset N, --from-timestamp TIME or "
                    + "--from-checkpoint STEP|latest");
        }
        List<Variant> variants = model.variants();
        if (variants.size() > 1 && start.checkpoint != null) {
            throw new IllegalArgumentException("--sweep replays fresh variants from an offset or a time; a "
                    + "checkpoint's model is one model (--from-offset N or --from-timestamp TIME)");
        }
        String id = applicationId != null ? applicationId
                : "streamlearn-replay-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Topics source = kafka.topics();
        Topics topics = source.withOutputPrefix(source.prefix() + id + ".");
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaCluster cluster = kafka.connect();
             TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            String input = topics.train().name();
            admin.requireSinglePartition(input);
            ModelConfig config = model.toConfig();
            Checkpoint startCheckpoint = null;
            long end = admin.endOffset(input);
            long from;
            if (start.checkpoint != null) {
                long step = ExportCommand.parseStep(start.checkpoint);
                Checkpoint checkpoint = CheckpointReader.find(cluster.clientProperties(), source.checkpoints(), input,
                        learner, null, step).orElseThrow(() -> new IllegalArgumentException("no checkpoint "
                                + start.checkpoint + " of " + input + " on " + source.checkpoints().name()));
                startCheckpoint = checkpoint;
                config = ModelSnapshot.parseConfig(checkpoint.getModelConfig());
                from = checkpoint.getNextOffset();
            } else if (start.timestamp != null) {
                from = admin.offsetForTime(input, start.timestamp).orElseThrow(() -> new IllegalArgumentException(
                        "--from-timestamp " + start.timestamp + ": no record of " + input + " was produced at or "
                                + "after it"));
            } else {
                from = start.offset;
            }
            long to = toOffset != null ? toOffset : end;
            if (from < 0 || to < from || to > end) {
                throw new IllegalArgumentException("cannot replay offsets [" + from + ", " + to + ") of " + input
                        + ": it holds offsets below " + end);
            }
            admin.createAll(topics, (short) 1);
            OptionalLong reached = admin.committedOffset(id, input);
            if (reached.isEmpty()) {
                admin.setCommittedOffset(id, input, from);
            } else {
                System.err.println("replay " + id + " exists, committed up to offset " + reached.getAsLong()
                        + ": it goes on from its own state, not from this run's start");
            }
            LearnerConfig learnerConfig = LearnerConfig.builder(id, topics, config).initFrom(model.initFrom)
                    .stopOffset(to).startCheckpoint(startCheckpoint).inputFormat(inputOptions.format())
                    .onDrift(drift.response()).build();
            System.err.println("replay " + id + ": " + config.describe() + " on " + input + " offsets [" + from + ", "
                    + to + "), summaries to " + topics.monitor().name());
            try (Learner learner = new Learner(cluster.clientProperties(), learnerConfig,
                    start.checkpoint != null ? List.of(Variant.only(config)) : variants, stateDir)) {
                learner.start();
                boolean finished = learner.awaitCommitted(admin, to, signal.requested());
                if (learner.failure() != null || !finished) {
                    System.err.println("replay stopped before offset " + to
                            + (learner.failure() == null ? "" : ": " + learner.failureMessage()));
                    return 1;
                }
                if (variants.size() > 1) {
                    TestSet test = TestSet.read(cluster.clientProperties(), source.test(), config,
                            inputOptions.format(), Duration.ofMinutes(2));
                    System.err.print(Leaderboard.of(variants, learner.liveModels(), test).text());
                }
                for (int v = 0; v < learner.liveModels().size() && export != null; v++) {
                    var trainer = learner.liveModels().get(v).trainer();
                    Path file = variants.size() > 1 ? LearnCommand.exportFile(export, variants.get(v).name())
                            : export;
                    if (trainer.isPresent()) {
                        Npz.export(trainer.get().network(), file);
                        System.err.println("weights after " + trainer.get().updates() + " steps written to " + file);
                    }
                }
            }
        }
        return 0;
    }
}
