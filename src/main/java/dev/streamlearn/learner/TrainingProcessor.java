package dev.streamlearn.learner;

import dev.streamlearn.avro.AveragingRound;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.RoundContribution;
import dev.streamlearn.kafka.AvroTrust;
import dev.streamlearn.model.ModelAverage;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One SGD step per input record, in {@code process()}: a {@link RecordTrainer} trains on it and this sends what it
 * produced. A record that cannot be decoded or validated, or whose step would not be finite, goes to the dead-letter
 * sink with its reason and leaves the model untouched; every summary interval a
 * {@link dev.streamlearn.avro.TrainingSummary} (and any alert transition) goes out; every snapshot interval the
 * learner's whole state goes to its changelogged store as a {@link Checkpoint}, with the offset of the next input
 * record.
 *
 * <p>Exactly once: the snapshot, the outputs and the input offsets commit in one transaction, but Kafka Streams
 * commits more often than we snapshot. So a restored processor, as it starts, re-reads the input between its
 * snapshot and its committed offset (read_committed) and re-applies it silently: those records' outputs were
 * committed with them. The learner's state is a function of the input offsets alone, however often the process died,
 * and it is current before any new record arrives.
 */
final class TrainingProcessor implements Processor<byte[], byte[], Object, SpecificRecord> {
    static {
        AvroTrust.install();
    }

    static final String CHECKPOINT_KEY = "model";
    /** How often a replica waiting for a round looks for it. */
    static final Duration ROUND_POLL = Duration.ofMillis(5);

    private final LearnerConfig config;
    private final LearnerServices services;
    private final SummaryFactory summaries;
    private final String storeName;
    private final boolean deadLettersRecords;
    private final int heldInMemory;
    private ProcessorContext<Object, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;
    private RecordTrainer trainer;
    /** The next input offset the model has not seen, or -1 while a fresh model waits for its first record. */
    private long nextOffset;
    /** Whether the model is known to hold every committed record (a restored one may still have to catch up). */
    private boolean caughtUp;
    /** The step of the last model version sent, so an unchanged model is not sent again. */
    private long publishedStep = -1;
    /** With averaged partitioning, where this replica stands in its rounds; null otherwise. */
    private AveragedReplica replica;

    TrainingProcessor(LearnerConfig config, LearnerServices services) {
        this(config, services, LearnerTopology.MODEL_STORE, true);
    }

    /**
     * A processor whose state is in the named store (one per variant of a sweep), and which dead-letters the records
     * refused for what they hold or leaves that to the sweep's first variant.
     */
    TrainingProcessor(LearnerConfig config, LearnerServices services, String storeName, boolean deadLettersRecords) {
        this(config, services, storeName, deadLettersRecords, AveragedReplica.HELD_IN_MEMORY);
    }

    /** As above; an averaged replica holds at most heldInMemory waiting records in memory and reads the rest back. */
    TrainingProcessor(LearnerConfig config, LearnerServices services, String storeName, boolean deadLettersRecords,
                      int heldInMemory) {
        this.heldInMemory = heldInMemory;
        this.config = config;
        this.services = services;
        this.storeName = storeName;
        this.deadLettersRecords = deadLettersRecords;
        this.summaries = new SummaryFactory(config.applicationId(), config.topics().train().name(),
                config.histogramBins());
    }

    @Override
    public void init(ProcessorContext<Object, SpecificRecord> processorContext) {
        this.context = processorContext;
        this.store = processorContext.getStateStore(storeName);
        String topic = config.topics().train().name();
        int partition = processorContext.taskId().partition();
        byte[] saved = store.get(CHECKPOINT_KEY);
        Checkpoint restored = saved != null
                ? ModelCheckpoint.fromBytes(saved, config.applicationId(), topic, partition)
                : config.startCheckpoint();
        TrainingLoop loop = restored != null ? restore(restored)
                : new TrainingLoop(freshTrainer(), TrainingLoop.Cadence.of(config), summaries, services.heldOut(),
                        config.onDrift());
        trainer = new RecordTrainer(config, loop, deadLettersRecords);
        if (config.partitioning() == Partitioning.AVERAGED) {
            replica = new AveragedReplica(config.averaging(), services.rounds().partitions(topic),
                    restored == null ? null : restored.getAveraging(),
                    restored == null || restored.getRoundsFrom() == null ? 0 : restored.getRoundsFrom(),
                    heldInMemory);
            loop.roundApplied(replica.lastRound());
        }
        OptionalLong committed = services.inputReader().committedOffset(topic, partition);
        if (saved != null) {
            nextOffset = restored.getNextOffset();
            if (nextOffset > config.stopOffset()) {
                throw new IllegalStateException("learner " + config.applicationId() + " has trained up to offset "
                        + nextOffset + ", past the offset " + config.stopOffset() + " it is to stop at");
            }
            caughtUp = committed.isPresent();
            if (caughtUp) {
                catchUp(topic, partition, Math.min(committed.getAsLong(), config.stopOffset()));
            }
        } else {
            // A fresh model (or a replay's starting checkpoint) is first written to the store with the first record.
            nextOffset = -1;
            caughtUp = false;
        }
        services.liveModel().publish(partition, loop.trainer(), loop::progress);
        if (replica != null) {
            processorContext.schedule(ROUND_POLL, PunctuationType.WALL_CLOCK_TIME, now -> completeRound());
        } else if (!config.publishInterval().isZero()) {
            processorContext.schedule(config.publishInterval(), PunctuationType.WALL_CLOCK_TIME,
                    now -> publishVersion());
        }
    }

    /**
     * Sends the model as it is now to the models topic, keyed by its model key, when it has changed since the last
     * version: from a punctuation or a record, so in the transaction that commits the records it has trained on, and a
     * version is always a model the learner really had.
     */
    private void publishVersion() {
        OnlineTrainer model = trainer.loop().trainer();
        if (nextOffset < 0 || model.updates() == publishedStep) {
            return;
        }
        int partition = context.taskId().partition();
        context.forward(new Record<Object, SpecificRecord>(config.modelKey(partition),
                ModelCheckpoint.version(config.applicationId(), config.topics().train().name(),
                        partition, nextOffset, model), context.currentSystemTimeMs()),
                LearnerTopology.MODEL_SINK);
        publishedStep = model.updates();
        services.liveModel().versionSent(partition, publishedStep);
    }

    private TrainingLoop restore(Checkpoint checkpoint) {
        OnlineTrainer model = ModelSnapshot.read(CheckpointReader.snapshotBytes(checkpoint));
        if (!model.config().equals(config.model()) && config.startCheckpoint() == null) {
            System.err.println("learner " + config.applicationId() + ": its model store holds "
                    + model.config().describe() + "; it goes on training that, not the "
                    + config.model().describe() + " the flags ask for (use a new --application-id for a new model)");
        }
        TrainingLoop loop = new TrainingLoop(model, TrainingLoop.Cadence.of(config), summaries, services.heldOut(),
                config.onDrift());
        if (checkpoint.getLearnerState() != null) {
            loop.restore(checkpoint.getLearnerState());
        }
        return loop;
    }

    private OnlineTrainer freshTrainer() {
        OnlineTrainer fresh = new OnlineTrainer(config.model());
        if (config.initFrom() != null) {
            try {
                Npz.load(fresh.network(), config.initFrom());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start from " + config.initFrom() + ": " + e.getMessage(), e);
            }
        }
        return fresh;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        long offset = metadata.offset();
        if (offset >= config.stopOffset() || offset < nextOffset || replica != null && offset < replica.receivedTo()) {
            // Past the replay's end, or seen already: a group whose offsets were moved back hands records again.
            return;
        }
        if (!caughtUp) {
            if (nextOffset >= 0) {
                catchUp(metadata.topic(), metadata.partition(), offset);
            } else {
                // The model as it starts, committed with the first transaction: a learner that dies before its
                // first periodic snapshot then restarts from here and re-applies what it had committed since.
                store.put(CHECKPOINT_KEY, ModelCheckpoint.toBytes(ModelCheckpoint.take(config.applicationId(),
                        metadata.topic(), metadata.partition(), offset, trainer.loop())));
            }
            caughtUp = true;
        }
        InputRecord input = new InputRecord(record.key(), record.value(), metadata.topic(), metadata.partition(),
                offset, record.timestamp());
        if (replica != null && replica.waiting()) {
            replica.hold(input);
            return;
        }
        trainLive(input);
    }

    /** Trains on one record and sends what it produced; an averaged replica may close its round with it. */
    private void trainLive(InputRecord input) {
        RecordTrainer.Emission emission;
        try {
            emission = trainer.train(input, true);
        } catch (RuntimeException e) {
            throw new LearnerFault(config.applicationId(), input, trainer.loop().trainer().updates(), e);
        }
        nextOffset = input.offset() + 1;
        send(emission);
        if (replica != null) {
            if (replica.countRecord(input.offset())) {
                contribute();
            }
        } else if (nextOffset == config.stopOffset() && !config.publishInterval().isZero()) {
            publishVersion();
        }
    }

    /**
     * Sends this replica's state to the rounds topic in the transaction that commits the record closing its round, and
     * asks for that commit now: no replica can go on before every contribution is committed.
     */
    private void contribute() {
        OnlineTrainer model = trainer.loop().trainer();
        int partition = context.taskId().partition();
        long round = replica.round() + 1;
        RoundContribution contribution = RoundContribution.newBuilder().setApplicationId(config.applicationId())
                .setRound(round).setPartition(partition).setPartitions(replica.partitions()).setNextOffset(nextOffset)
                .setUpdates(model.updates()).setMadeAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setSnapshot(ByteBuffer.wrap(ModelSnapshot.write(model))).build();
        context.forward(new Record<Object, SpecificRecord>(RoundBoard.key(config.applicationId(), round, partition),
                contribution, context.currentSystemTimeMs()), LearnerTopology.ROUND_SINK);
        context.commit();
    }

    /**
     * When the round this replica waits for is complete: the average of every replica's contribution, summed in
     * partition order, replaces its parameters and optimiser state; the learner's state goes to the store (a restored
     * replica starts from the last round it applied), partition 0's replica sends the round's model version, and the
     * records that arrived meanwhile are trained.
     */
    private void completeRound() {
        if (!replica.waiting()) {
            return;
        }
        Optional<RoundBoard.Round> found = services.rounds().round(replica.round() + 1, replica.partitions(),
                replica.roundsFrom());
        if (found.isEmpty()) {
            return;
        }
        List<OnlineTrainer> contributions = new ArrayList<>(replica.partitions());
        for (RoundContribution contribution : found.get().contributions()) {
            contributions.add(ModelSnapshot.read(CheckpointReader.bytes(contribution.getSnapshot())));
        }
        ModelAverage average = ModelAverage.of(contributions);
        OnlineTrainer model = trainer.loop().trainer();
        average.applyTo(model);
        AveragingRound round = AveragingRound.newBuilder().setRound(replica.round() + 1)
                .setEveryRecords(config.averaging().everyRecords()).setPartitions(replica.partitions())
                .setDivergence(Arrays.stream(average.divergence()).boxed().toList())
                .setAverageNorm(average.averageNorm()).setRelativeDivergence(average.relativeDivergence())
                .setWaitSeconds(replica.secondsWaiting()).build();
        replica.applied(round, found.get().nextFrom());
        trainer.loop().roundApplied(round);
        int partition = context.taskId().partition();
        String topic = config.topics().train().name();
        Checkpoint snapshot = ModelCheckpoint.take(config.applicationId(), topic, partition, nextOffset,
                trainer.loop());
        snapshot.setRoundsFrom(replica.roundsFrom());
        store.put(CHECKPOINT_KEY, ModelCheckpoint.toBytes(snapshot));
        services.liveModel().roundApplied(round.getRound(), model);
        if (partition == 0) {
            Checkpoint version = ModelCheckpoint.version(config.applicationId(), topic, partition, nextOffset, model);
            version.setAveraging(round);
            context.forward(new Record<Object, SpecificRecord>(config.modelKey(partition), version,
                    context.currentSystemTimeMs()), LearnerTopology.MODEL_SINK);
            services.liveModel().versionSent(partition, model.updates());
        }
        trainHeld();
    }

    /** Trains the records that arrived while the replica waited, in offset order, until it closes a round again. */
    private void trainHeld() {
        InputRecord next;
        while (!replica.waiting() && (next = replica.nextHeld()) != null) {
            trainLive(next);
        }
        long[] range = replica.waiting() ? null : replica.takeOverflow();
        if (range != null) {
            services.inputReader().read(config.topics().train().name(), context.taskId().partition(), range[0],
                    range[1], record -> {
                        if (replica.waiting()) {
                            replica.hold(record);
                        } else {
                            trainLive(record);
                        }
                    });
        }
    }

    /**
     * Re-applies, without output, the committed input from the model's next offset up to {@code to}. An averaged
     * replica that reaches the end of a round on the way had committed its contribution with that record: it waits for
     * the round, and the committed records after it, which it never trained, are held to be trained with their outputs.
     */
    private void catchUp(String topic, int partition, long to) {
        if (to <= nextOffset) {
            return;
        }
        services.inputReader().read(topic, partition, nextOffset, to, missed -> {
            if (replica == null) {
                trainer.train(missed, false);
            } else if (replica.waiting()) {
                replica.hold(missed);
            } else {
                trainer.train(missed, false);
                nextOffset = missed.offset() + 1;
                replica.countRecord(missed.offset());
            }
        });
        if (replica == null) {
            nextOffset = to;
        }
    }

    /**
     * Sends one record's outputs, and puts its snapshot in the store, in the transaction that commits the record.
     * Outputs are stamped with the time they are made, so that retention counts from then: training on samples older
     * than the output topics' retention must not write records the broker deletes at once. The input's time stays in
     * their fields.
     */
    private void send(RecordTrainer.Emission emission) {
        if (emission == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        for (RecordTrainer.Forward forward : emission.forwards()) {
            context.forward(new Record<Object, SpecificRecord>(forward.key(), forward.value(), now), forward.sink());
        }
        if (emission.storeCheckpoint() != null) {
            store.put(CHECKPOINT_KEY, emission.storeCheckpoint());
        }
    }
}
