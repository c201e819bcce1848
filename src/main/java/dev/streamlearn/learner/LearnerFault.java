package dev.streamlearn.learner;

/**
 * The learner's own failure on a record it had accepted (nothing the record held: that is a dead letter). The learner
 * stops and says on which record, rather than train past a model it may have left half updated.
 */
public final class LearnerFault extends RuntimeException {
    LearnerFault(String applicationId, InputRecord record, long step, Throwable cause) {
        super("learner " + applicationId + " stopped on " + record.topic() + " partition " + record.partition()
                + " offset " + record.offset() + " (after step " + step + "): " + cause, cause);
    }
}
