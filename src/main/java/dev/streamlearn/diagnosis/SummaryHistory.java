package dev.streamlearn.diagnosis;

import dev.streamlearn.avro.DiagnosisState;
import dev.streamlearn.avro.TrainingSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent loss figures that trend rules need: a bounded window, so memory stays flat however long a run is.
 *
 * <p>One 100-sample window's loss moves by 2x either way in healthy per-sample training (an easy or a hard run of
 * digits), so trend rules read means over several windows, never one window against another.
 */
final class SummaryHistory {
    static final int CAPACITY = 40;

    private final Ring lossMeans = new Ring();
    private final Ring lossEmas = new Ring();
    private long previousSkipped;
    private long skippedInWindow;

    void add(TrainingSummary summary) {
        lossMeans.add(summary.getLossMean());
        lossEmas.add(summary.getLossEma());
        skippedInWindow = summary.getSkippedUpdates() - previousSkipped;
        previousSkipped = summary.getSkippedUpdates();
    }

    /** What a snapshot keeps: the rings oldest first, and the skip counts. */
    void saveTo(DiagnosisState.Builder state) {
        state.setLossMeans(lossMeans.oldestFirst()).setLossEmas(lossEmas.oldestFirst())
                .setPreviousSkipped(previousSkipped).setSkippedInWindow(skippedInWindow);
    }

    void restore(DiagnosisState state) {
        lossMeans.restore(state.getLossMeans());
        lossEmas.restore(state.getLossEmas());
        previousSkipped = state.getPreviousSkipped();
        skippedInWindow = state.getSkippedInWindow();
    }

    long skippedInWindow() {
        return skippedInWindow;
    }

    /**
     * Mean of {@code count} window loss means, the newest of them {@code skip} summaries before the newest summary;
     * NaN when fewer were seen.
     */
    double meanLoss(int skip, int count) {
        if (lossMeans.size() < skip + count) {
            return Double.NaN;
        }
        double sum = 0;
        for (int age = skip; age < skip + count; age++) {
            sum += lossMeans.get(age);
        }
        return sum / count;
    }

    /** The last n loss EMAs, oldest first (fewer when fewer were seen). */
    double[] lastLossEmas(int n) {
        int count = Math.min(n, lossEmas.size());
        double[] result = new double[count];
        for (int i = 0; i < count; i++) {
            result[i] = lossEmas.get(count - 1 - i);
        }
        return result;
    }

    /** The last CAPACITY values, in a plain array: the rules run every summary and should not box or allocate. */
    private static final class Ring {
        private final double[] values = new double[CAPACITY];
        private int next;
        private int size;

        void add(double value) {
            values[next] = value;
            next = (next + 1) % CAPACITY;
            size = Math.min(size + 1, CAPACITY);
        }

        int size() {
            return size;
        }

        List<Double> oldestFirst() {
            List<Double> values = new ArrayList<>(size);
            for (int age = size - 1; age >= 0; age--) {
                values.add(get(age));
            }
            return values;
        }

        /** Replaces the contents with values saved by {@link #oldestFirst()}; only the newest CAPACITY are kept. */
        void restore(List<Double> saved) {
            next = 0;
            size = 0;
            for (int i = Math.max(0, saved.size() - CAPACITY); i < saved.size(); i++) {
                add(saved.get(i));
            }
        }

        /** The value added {@code age} additions before the newest (age 0 is the newest). */
        double get(int age) {
            return values[Math.floorMod(next - 1 - age, CAPACITY)];
        }
    }
}
