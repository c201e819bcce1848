package dev.streamlearn.model;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense float32 tensor held in an ND4J array, with a cached native pointer for BLAS calls and a
 * {@link FloatBuffer} over the same memory for Java loops.
 *
 * <p>Only whole (non-view) arrays are wrapped: a view's {@code asNioFloat()} ignores its offset, so views would
 * silently alias the wrong elements. The array stays referenced here so its native memory outlives the pointer.
 */
public final class FloatTensor {
    private final INDArray array;
    private final FloatPointer pointer;
    private final FloatPointer cursor;
    private final FloatBuffer buffer;
    private FloatPointer sampleBuffer;
    private final int[] shape;
    private final int length;

    private FloatTensor(INDArray array, int[] shape) {
        this.array = array;
        this.shape = shape.clone();
        this.length = Math.toIntExact(array.length());
        this.pointer = new FloatPointer(array.data().addressPointer());
        this.pointer.capacity(length).limit(length);
        this.cursor = new FloatPointer(array.data().addressPointer());
        this.buffer = pointer.asBuffer();
    }

    /** A zero-filled tensor of the given shape. */
    public static FloatTensor zeros(int... shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a tensor needs at least one dimension");
        }
        long[] longShape = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] <= 0) {
                throw new IllegalArgumentException("dimension " + i + " is " + shape[i] + ", expected > 0 in "
                        + Arrays.toString(shape));
            }
            longShape[i] = shape[i];
        }
        return new FloatTensor(Nd4j.zeros(DataType.FLOAT, longShape), shape);
    }

    /** A tensor holding a copy of {@code values}, shaped {@code shape}. */
    public static FloatTensor of(float[] values, int... shape) {
        FloatTensor tensor = zeros(shape);
        tensor.copyFrom(values);
        return tensor;
    }

    public int length() {
        return length;
    }

    public int[] shape() {
        return shape.clone();
    }

    public float get(int index) {
        return buffer.get(index);
    }

    public void set(int index, float value) {
        buffer.put(index, value);
    }

    /** The native memory, for BLAS calls. */
    FloatPointer pointer() {
        return pointer;
    }

    /** The native memory from element offset on, for BLAS calls on a block (one block per tensor per call). */
    FloatPointer pointerAt(int offset) {
        return cursor.position(offset);
    }

    /** The ND4J array behind this tensor (shares memory). */
    public INDArray array() {
        return array;
    }

    public void copyFrom(float[] values) {
        if (values.length != length) {
            throw new IllegalArgumentException("got " + values.length + " values for a tensor of "
                    + length + " elements " + Arrays.toString(shape));
        }
        buffer.put(0, values);
    }

    public void copyFrom(FloatTensor other) {
        if (other.length != length) {
            throw new IllegalArgumentException("cannot copy " + other.length + " elements into " + length);
        }
        Blas.copy(other, this);
    }

    public void fill(float value) {
        for (int i = 0; i < length; i++) {
            buffer.put(i, value);
        }
    }

    /**
     * Writes the elements a sample plan reads to the start of {@code into}: one bulk copy when it reads them all, else
     * a strided BLAS copy into native scratch memory and one bulk copy out (reading strided elements one by one
     * through the buffer is ~15x slower).
     */
    void sample(SamplePlan plan, float[] into) {
        if (plan.stride() == 1) {
            copyTo(into);
            return;
        }
        if (sampleBuffer == null || sampleBuffer.capacity() < plan.size()) {
            sampleBuffer = new FloatPointer(plan.size());
        }
        Blas.gather(this, plan.stride(), plan.size(), sampleBuffer);
        sampleBuffer.position(0).get(into, 0, plan.size());
    }

    /** into[0:count] = this[offset:offset + count], one bulk copy from native memory. */
    void read(int offset, float[] into, int count) {
        buffer.get(offset, into, 0, count);
    }

    /** this[offset:offset + count] = from[0:count], one bulk copy into native memory. */
    void write(int offset, float[] from, int count) {
        buffer.put(offset, from, 0, count);
    }

    /** Copies every element to the start of {@code into}. */
    void copyTo(float[] into) {
        buffer.get(0, into, 0, length);
    }

    /** A copy of each tensor's elements. */
    static List<float[]> toArrays(List<FloatTensor> tensors) {
        List<float[]> arrays = new ArrayList<>(tensors.size());
        for (FloatTensor tensor : tensors) {
            arrays.add(tensor.toArray());
        }
        return arrays;
    }

    /** Sets each tensor from the array at the same index. */
    static void copyFrom(List<float[]> arrays, List<FloatTensor> tensors) {
        for (int i = 0; i < tensors.size(); i++) {
            tensors.get(i).copyFrom(arrays.get(i));
        }
    }

    public float[] toArray() {
        float[] values = new float[length];
        copyTo(values);
        return values;
    }
}
