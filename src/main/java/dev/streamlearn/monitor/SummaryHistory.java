package dev.streamlearn.monitor;

import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The recent loss figures that trend rules need: a bounded window, so memory stays flat however long a run is.
 *
 * <p>One 100-sample window's loss moves by 2x either way in healthy per-sample training (an easy or a hard run of
 * digits), so trend rules read means over several windows, never one window against another.
 */
final class SummaryHistory {
    static final int CAPACITY = 40;

    private final Deque<Double> lossMeans = new ArrayDeque<>();
    private final Deque<Double> lossEmas = new ArrayDeque<>();
    private long previousSkipped;
    private long skippedInWindow;
    private long seen;

    void add(TrainingSummary summary) {
        push(lossMeans, summary.getLossMean());
        push(lossEmas, summary.getLossEma());
        skippedInWindow = summary.getSkippedUpdates() - previousSkipped;
        previousSkipped = summary.getSkippedUpdates();
        seen++;
    }

    private static void push(Deque<Double> values, double value) {
        if (values.size() == CAPACITY) {
            values.removeFirst();
        }
        values.addLast(value);
    }

    long seen() {
        return seen;
    }

    long skippedInWindow() {
        return skippedInWindow;
    }

    /**
     * Mean of {@code count} window loss means, the newest of them {@code skip} summaries before the newest summary;
     * NaN when fewer were seen.
     */
    double meanLoss(int skip, int count) {
        double[] recent = last(lossMeans, skip + count);
        if (recent.length < skip + count) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += recent[i];
        }
        return sum / count;
    }

    /** The last n loss EMAs, oldest first. */
    double[] lastLossEmas(int n) {
        return last(lossEmas, n);
    }

    private static double[] last(Deque<Double> values, int n) {
        int count = Math.min(n, values.size());
        double[] result = new double[count];
        Iterator<Double> newestFirst = values.descendingIterator();
        for (int i = count - 1; i >= 0; i--) {
            result[i] = newestFirst.next();
        }
        return result;
    }
}
