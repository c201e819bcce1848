package dev.streamlearn.producer;

import java.io.PrintStream;

/** A one-line progress bar with count, percentage and rate, redrawn in place at most five times a second. */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;

    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    public void update(long done) {
        long now = System.nanoTime();
        if (now - lastDrawNanos < 200_000_000L && done < total) {
            return;
        }
        lastDrawNanos = now;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        double seconds = (now - startNanos) / 1e9;
        out.printf("\r%s [%s%s] %,d/%,d %3d%% %,.0f/s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done,
                total, total == 0 ? 100 : 100 * done / total, seconds > 0 ? done / seconds : 0);
        out.flush();
    }

    public void finish(long done) {
        lastDrawNanos = 0;
        update(done);
        out.println();
    }
}
