package dev.streamlearn.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM for a long-running command: the JVM's shutdown hook raises {@link #requested()} and then waits
 * (bounded) for the command to say it has cleaned up, so a stop flushes and closes instead of cutting mid-write.
 */
final class ShutdownSignal implements AutoCloseable {
    private static final long CLEANUP_SECONDS = 60;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Thread hook;

    ShutdownSignal(Runnable onRequest) {
        hook = new Thread(() -> {
            requested.countDown();
            onRequest.run();
            try {
                cleanedUp.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "streamlearn-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    ShutdownSignal() {
        this(() -> { });
    }

    /** Counts down when a stop has been requested. */
    CountDownLatch requested() {
        return requested;
    }

    /** The command has finished cleaning up: let the JVM exit. */
    @Override
    public void close() {
        cleanedUp.countDown();
    }
}
