package dev.streamlearn.monitor;

import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/** The recent loss figures that trend rules need: a bounded window, so memory stays flat however long a run is. */
final class SummaryHistory {
    static final int CAPACITY = 32;

    private final Deque<Double> lossMeans = new ArrayDeque<>();
    private final Deque<Double> lossEmas = new ArrayDeque<>();
    private double bestLossMean = Double.POSITIVE_INFINITY;
    private long previousSkipped;
    private long skippedInWindow;
    private long seen;

    void add(TrainingSummary summary) {
        push(lossMeans, summary.getLossMean());
        push(lossEmas, summary.getLossEma());
        if (Double.isFinite(summary.getLossMean())) {
            bestLossMean = Math.min(bestLossMean, summary.getLossMean());
        }
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

    double bestLossMean() {
        return bestLossMean;
    }

    long skippedInWindow() {
        return skippedInWindow;
    }

    /** The last n loss means, oldest first (fewer when fewer were seen). */
    double[] lastLossMeans(int n) {
        return last(lossMeans, n);
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
