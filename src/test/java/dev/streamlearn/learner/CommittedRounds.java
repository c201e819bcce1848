package dev.streamlearn.learner;

import dev.streamlearn.avro.RoundContribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The contributions the replicas' tasks have committed, in commit order: what the rounds topic holds. */
final class CommittedRounds implements RoundBoard {
    final List<RoundContribution> log = new ArrayList<>();
    private final int trainingPartitions;

    CommittedRounds(int trainingPartitions) {
        this.trainingPartitions = trainingPartitions;
    }

    @Override
    public Optional<Round> round(long round, int partitions, long from) {
        List<RoundContribution> found = new ArrayList<>();
        long last = -1;
        for (int offset = (int) from; offset < log.size(); offset++) {
            if (log.get(offset).getRound() == round) {
                found.add(log.get(offset));
                last = offset;
            }
        }
        found.sort(Comparator.comparingInt(RoundContribution::getPartition));
        return found.size() == partitions ? Optional.of(new Round(found, last + 1)) : Optional.empty();
    }

    @Override
    public int partitions(String topic) {
        return trainingPartitions;
    }
}
