package dev.streamlearn.learner;

import dev.streamlearn.avro.AveragingRound;
import dev.streamlearn.model.AveragingSchedule;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where one replica of an averaged model stands in its rounds: the rounds applied, its records since the last, whether
 * it waits for a round, and the records of its partition that arrived while it waited. Those are held in memory up to
 * a bound; past it only their offsets are kept and they are read back from the topic when the round comes, so a
 * partition that lags for hours costs no memory.
 */
final class AveragedReplica {
    /**
     * Records held in memory while waiting, ~85 MB of MNIST samples at most (the launcher gives a learner a 512 MiB
     * heap); later ones are read back from the topic.
     */
    static final int HELD_IN_MEMORY = 100_000;

    private final AveragingSchedule schedule;
    private final int partitions;
    private long round;
    private AveragingRound lastRound;
    private long roundsFrom;
    private long recordsInRound;
    private boolean waiting;
    /** When the replica closed the round it waits for (System.nanoTime()). */
    private long waitingSince;
    private final Deque<InputRecord> held = new ArrayDeque<>();
    /** Offsets [overflowFrom, overflowTo) arrived while waiting and are not held; overflowFrom is -1 when none. */
    private long overflowFrom = -1;
    private long overflowTo = -1;
    /** The offset after the last record trained or held. */
    private long receivedTo;

    private final int heldInMemory;

    AveragedReplica(AveragingSchedule schedule, int partitions, AveragingRound lastRound, long roundsFrom,
                    int heldInMemory) {
        this.schedule = schedule;
        this.partitions = partitions;
        this.lastRound = lastRound;
        this.round = lastRound == null ? 0 : lastRound.getRound();
        this.roundsFrom = roundsFrom;
        this.heldInMemory = heldInMemory;
    }

    int partitions() {
        return partitions;
    }

    /** Rounds applied so far. */
    long round() {
        return round;
    }

    AveragingRound lastRound() {
        return lastRound;
    }

    long roundsFrom() {
        return roundsFrom;
    }

    boolean waiting() {
        return waiting;
    }

    /** Counts a record trained on (whatever became of it); true when it closes the replica's round. */
    boolean countRecord(long offset) {
        receivedTo = offset + 1;
        recordsInRound++;
        if (schedule.closesRound(recordsInRound)) {
            waiting = true;
            waitingSince = System.nanoTime();
            return true;
        }
        return false;
    }

    /** Keeps a record that arrived while the replica waits, to be trained once the round is applied. */
    void hold(InputRecord record) {
        receivedTo = record.offset() + 1;
        if (overflowFrom < 0 && held.size() < heldInMemory) {
            held.addLast(record);
            return;
        }
        if (overflowFrom < 0) {
            overflowFrom = record.offset();
        }
        overflowTo = record.offset() + 1;
    }

    /** The offset after the last record trained or held: anything before it has been seen. */
    long receivedTo() {
        return receivedTo;
    }

    /** Seconds since the replica closed the round it waits for. */
    double secondsWaiting() {
        return (System.nanoTime() - waitingSince) / 1e9;
    }

    /** The round has been averaged into the replica: it goes on with a new round. */
    void applied(AveragingRound round, long nextRoundsFrom) {
        this.round = round.getRound();
        this.lastRound = round;
        this.roundsFrom = nextRoundsFrom;
        recordsInRound = 0;
        waiting = false;
    }

    /** The next record held in memory, or null. */
    InputRecord nextHeld() {
        return held.pollFirst();
    }

    /**
     * The range of offsets held only as a range, as [from, to), cleared; null when there is none. Called once the
     * memory-held records are trained, so the range comes next in offset order.
     */
    long[] takeOverflow() {
        if (overflowFrom < 0 || !held.isEmpty()) {
            return null;
        }
        long[] range = {overflowFrom, overflowTo};
        overflowFrom = -1;
        overflowTo = -1;
        return range;
    }
}
