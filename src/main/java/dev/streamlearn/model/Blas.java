package dev.streamlearn.model;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The BLAS calls of the hot path, made straight on tensors' native buffers with the OpenBLAS that ND4J bundles.
 *
 * <p>OpenBLAS runs single-threaded: at batch size 1 the matrices are too small for threads to pay, and one thread
 * makes every sum happen in the same order, so the same samples give bitwise the same weights.
 */
final class Blas {
    static {
        Nd4j.getBackend(); // ND4J resets OpenBLAS threads when it starts: start it first, then pin to one thread.
        openblas_nolapack.blas_set_num_threads(1);
    }

    private Blas() {
    }

    /** Makes sure the native library is loaded and single-threaded. */
    static void init() {
        // The static initialiser does the work.
    }

    /** y = W x + beta y, with W row-major [out, in]: the forward pass of a dense layer. */
    static void matVec(FloatTensor w, int out, int in, FloatTensor x, float beta, FloatTensor y) {
        openblas_nolapack.cblas_sgemv(CblasRowMajor, CblasNoTrans, out, in, 1f, w.pointer(), in,
                x.pointer(), 1, beta, y.pointer(), 1);
    }

    /** y = W^T x, with W row-major [out, in]: the backward pass of a dense layer (y has length in). */
    static void transposedMatVec(FloatTensor w, int out, int in, FloatTensor x, FloatTensor y) {
        openblas_nolapack.cblas_sgemv(CblasRowMajor, CblasTrans, out, in, 1f, w.pointer(), in,
                x.pointer(), 1, 0f, y.pointer(), 1);
    }

    /** A += alpha x y^T, with A row-major [rows, cols], x of length rows and y of length cols. */
    static void rankOneUpdate(float alpha, FloatTensor x, int rows, FloatTensor y, int cols, FloatTensor a) {
        openblas_nolapack.cblas_sger(CblasRowMajor, rows, cols, alpha, x.pointer(), 1, y.pointer(), 1,
                a.pointer(), cols);
    }

    /** C = A B + beta C, all row-major: A [m, k], B [k, n], C [m, n]. */
    static void matMul(FloatTensor a, FloatTensor b, int m, int k, int n, float beta, FloatTensor c) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1f, a.pointer(), k,
                b.pointer(), n, beta, c.pointer(), n);
    }

    /** C = A B^T + beta C, all row-major: A [m, k], B [n, k], C [m, n]. */
    static void matMulTransposed(FloatTensor a, FloatTensor b, int m, int k, int n, float beta, FloatTensor c) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1f, a.pointer(), k,
                b.pointer(), k, beta, c.pointer(), n);
    }

    /** y += W[from:to]^T x[from:to], with W row-major [in, out]: the forward pass over one input run. */
    static void accumulateRows(FloatTensor w, int out, int from, int to, FloatTensor x, FloatTensor y) {
        openblas_nolapack.cblas_sgemv(CblasRowMajor, CblasTrans, to - from, out, 1f, w.pointerAt(from * out), out,
                x.pointerAt(from), 1, 1f, y.pointer(), 1);
    }

    /** W[from:to] += alpha x[from:to] y^T, with W row-major [in, out]: the rank-1 update over one input run. */
    static void rankOneUpdateRows(float alpha, FloatTensor x, int from, int to, FloatTensor y, int out,
                                  FloatTensor w) {
        openblas_nolapack.cblas_sger(CblasRowMajor, to - from, out, alpha, x.pointerAt(from), 1, y.pointer(), 1,
                w.pointerAt(from * out), out);
    }

    /** y += alpha x. */
    static void axpy(float alpha, FloatTensor x, FloatTensor y) {
        openblas_nolapack.cblas_saxpy(x.length(), alpha, x.pointer(), 1, y.pointer(), 1);
    }

    /** x *= alpha. */
    static void scale(float alpha, FloatTensor x) {
        openblas_nolapack.cblas_sscal(x.length(), alpha, x.pointer(), 1);
    }

    /**
     * ||x||. The plain dot product runs at memory speed (half the time of a double-precision sum, 2.5x faster than
     * snrm2); its float sum is good to ~1e-5 relative, enough to monitor. Only when a square overflows does snrm2,
     * which rescales as it goes, give the norm.
     */
    static double norm(FloatTensor x) {
        double squares = openblas_nolapack.cblas_sdot(x.length(), x.pointer(), 1, x.pointer(), 1);
        return Double.isFinite(squares) ? Math.sqrt(squares)
                : openblas_nolapack.cblas_snrm2(x.length(), x.pointer(), 1);
    }

    /** to[0:count] = x[0], x[stride], x[2 stride], ... */
    static void gather(FloatTensor x, int stride, int count, FloatPointer to) {
        openblas_nolapack.cblas_scopy(count, x.pointer(), stride, to.position(0), 1);
    }

    /** to = from. */
    static void copy(FloatTensor from, FloatTensor to) {
        openblas_nolapack.cblas_scopy(from.length(), from.pointer(), 1, to.pointer(), 1);
    }
}
