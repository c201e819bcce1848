package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * An optimiser whose update reads and writes every parameter and its state each step (AdaGrad, RMSProp, Adam): the
 * work is memory traffic and element-wise arithmetic, so it is done in one pass per parameter row on the heap, where
 * the JIT vectorises it. Each parameter row is copied from native memory, updated and copied back in bulk; the
 * gradient row is formed from its outer-product factors as it is used, never materialised; the state is kept as one
 * heap array per row, so that every array in the loop is indexed alike (the JIT does not vectorise a loop that
 * stores into one array at an offset while reading another that might be the same array).
 */
abstract class ElementwiseOptimiser implements Optimiser {
    /** state[slot][tensor][row]: e.g. Adam's first and second moments, per parameter tensor, per row. */
    private final float[][][][] state;
    private final float[] row;
    private final float[][] stateOfRow;

    ElementwiseOptimiser(List<FloatTensor> parameters, int slots) {
        state = new float[slots][parameters.size()][][];
        int widest = 1;
        for (int t = 0; t < parameters.size(); t++) {
            int[] shape = parameters.get(t).shape();
            int rows = shape.length == 1 ? 1 : shape[0];
            int width = shape[shape.length - 1];
            for (int slot = 0; slot < slots; slot++) {
                state[slot][t] = new float[rows][width];
            }
            widest = Math.max(widest, width);
        }
        row = new float[widest];
        stateOfRow = new float[slots][];
    }

    /** Called once per step before any row, with the rate and update number in force. */
    abstract void beginStep(float learningRate, long updateNumber);

    /**
     * Updates one row in place: p[j] and stateOfRow[slot][j] for g[j] = scale * values[j], j < width. Each subclass
     * fixes its expression order, so the same inputs give bitwise the same result.
     */
    abstract void updateRow(float[][] stateOfRow, float scale, float[] values, float[] p, int width);

    @Override
    public final void step(List<FloatTensor> parameters, List<Gradient> gradients, float learningRate,
                           long updateNumber) {
        beginStep(learningRate, updateNumber);
        for (int t = 0; t < parameters.size(); t++) {
            FloatTensor p = parameters.get(t);
            Gradient g = gradients.get(t);
            g.loadRows();
            int rows = g.rows();
            int width = p.length() / rows;
            for (int r = 0; r < rows; r++) {
                for (int slot = 0; slot < state.length; slot++) {
                    stateOfRow[slot] = state[slot][t][r];
                }
                p.read(r * width, row, width);
                updateRow(stateOfRow, g.rowScale(r), g.rowValues(r), row, width);
                p.write(r * width, row, width);
            }
        }
    }

    /** Each slot's tensors in model order, rows concatenated: the layout of the parameter they belong to. */
    @Override
    public final List<float[]> saveState() {
        List<float[]> copies = new ArrayList<>();
        for (float[][][] slot : state) {
            for (float[][] tensor : slot) {
                int width = tensor[0].length;
                float[] flat = new float[tensor.length * width];
                for (int r = 0; r < tensor.length; r++) {
                    System.arraycopy(tensor[r], 0, flat, r * width, width);
                }
                copies.add(flat);
            }
        }
        return copies;
    }

    @Override
    public final void restoreState(List<float[]> saved) {
        int i = 0;
        for (float[][][] slot : state) {
            for (float[][] tensor : slot) {
                float[] flat = saved.get(i++);
                int width = tensor[0].length;
                for (int r = 0; r < tensor.length; r++) {
                    System.arraycopy(flat, r * width, tensor[r], 0, width);
                }
            }
        }
    }
}
