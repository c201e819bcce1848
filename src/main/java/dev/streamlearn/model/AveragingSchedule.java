package dev.streamlearn.model;

/**
 * When the replicas of an averaged model meet: a round closes after every {@code everyRecords} input records of each
 * replica's own stream (trained, refused or skipped alike), so where a round falls is fixed by the stream alone, never
 * by timing.
 *
 * @param everyRecords records of each replica's stream per round, > 0
 */
public record AveragingSchedule(int everyRecords) {
    public AveragingSchedule {
        if (everyRecords <= 0) {
            throw new IllegalArgumentException("--average-every is " + everyRecords + ", expected > 0");
        }
    }

    /** Whether the record that brings a replica's count to {@code records} closes a round. */
    public boolean closesRound(long records) {
        return records > 0 && records % everyRecords == 0;
    }

    /** The rounds a replica's stream of this many records closes. */
    public long roundsIn(long records) {
        return records / everyRecords;
    }
}
