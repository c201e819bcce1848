package dev.streamlearn.learner;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request, from whoever runs the learner, to have every trained record's outputs sent before Kafka Streams' last
 * commit. Without it, outputs still in the training pipeline when the learner stops would go out only after a
 * restart, when the restored processor trains their records again: exactly once either way, but late.
 */
public final class StopRequest {
    private volatile boolean requested;
    private final CountDownLatch flushed = new CountDownLatch(1);

    void request() {
        requested = true;
    }

    boolean requested() {
        return requested;
    }

    /** Called by a processor once it has trained and sent everything it was handed after the request. */
    void confirmFlushed() {
        flushed.countDown();
    }

    /** @return true when a processor confirmed within the timeout */
    boolean awaitFlushed(Duration timeout) throws InterruptedException {
        return flushed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
