package dev.streamlearn.model;

/**
 * The stretches of an input vector that hold non-zero values. MNIST images are ~80% zeros, arranged in runs along
 * each image row; the first layer multiplies and updates only the weight rows of these runs, which is exact (a zero
 * input contributes nothing to the forward sum nor to the weight gradient) and cuts its memory traffic about 4x.
 * Runs closer than {@link #MERGE_GAP} are merged: a BLAS call costs more than a few multiplications by zero.
 */
final class InputRuns {
    static final int MERGE_GAP = 8;

    private final int[] starts;
    private final int[] ends;
    private int count;

    InputRuns(int length) {
        starts = new int[length / 2 + 1];
        ends = new int[length / 2 + 1];
    }

    /** Finds the runs of non-zero values of x. */
    void scan(float[] x) {
        count = 0;
        int i = 0;
        while (i < x.length) {
            while (i < x.length && x[i] == 0f) {
                i++;
            }
            if (i == x.length) {
                break;
            }
            int start = i;
            while (i < x.length && x[i] != 0f) {
                i++;
            }
            if (count > 0 && start - ends[count - 1] <= MERGE_GAP) {
                ends[count - 1] = i;
            } else {
                starts[count] = start;
                ends[count] = i;
                count++;
            }
        }
    }

    int count() {
        return count;
    }

    int start(int run) {
        return starts[run];
    }

    int end(int run) {
        return ends[run];
    }
}
