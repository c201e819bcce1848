package dev.streamlearn.join;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a running join has done, for its status line: records labelled, features whose label did not arrive within
 * the window, labels whose features did not, and dead letters. Counted as processed, so a record re-processed after
 * a crash counts again (the topics hold each once).
 */
public final class JoinCounts {
    final AtomicLong labelled = new AtomicLong();
    final AtomicLong unlabelled = new AtomicLong();
    final AtomicLong orphanLabels = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();

    public long labelled() {
        return labelled.get();
    }

    public long unlabelled() {
        return unlabelled.get();
    }

    public long orphanLabels() {
        return orphanLabels.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    @Override
    public String toString() {
        return labelled() + " labelled, " + unlabelled() + " features without a label in time, " + orphanLabels()
                + " labels without features in time, " + deadLetters() + " dead letters";
    }
}
