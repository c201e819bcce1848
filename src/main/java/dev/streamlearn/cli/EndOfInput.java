package dev.streamlearn.cli;

import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits until a learner has committed its input up to an offset, fails, or is interrupted. */
final class EndOfInput {
    private EndOfInput() {
    }

    /** @return true when the offset was reached */
    static boolean await(Learner learner, TopicAdmin admin, LearnerConfig config, long endOffset,
                         CountDownLatch interrupted) throws InterruptedException {
        String topic = config.topics().train().name();
        while (learner.failure() == null && learner.isRunning()) {
            if (interrupted.await(250, TimeUnit.MILLISECONDS)) {
                return false;
            }
            if (endOffset != Long.MAX_VALUE && admin.committedOffset(config.applicationId(), topic) >= endOffset) {
                return true;
            }
        }
        return false;
    }
}
