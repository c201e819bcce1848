/**
 * The numerical core: dense networks, objectives, initialisers, optimisers and their serialised form.
 *
 * <p>Parameters, gradients and optimiser state live in ND4J arrays ({@link dev.streamlearn.model.FloatTensor});
 * the per-sample hot path calls the OpenBLAS that ND4J bundles directly on those arrays' native buffers and does
 * element-wise work in plain Java loops, because ND4J's per-op overhead dominates at batch size 1.
 * This package depends on ND4J, JavaCPP/OpenBLAS and Jackson only; it must never import Kafka (a test enforces it),
 * so all the math is testable without a broker.
 */
package dev.streamlearn.model;
