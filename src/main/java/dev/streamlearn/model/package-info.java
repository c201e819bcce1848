/**
 * The numerical core: dense networks, objectives, initialisers, optimisers and their serialised form.
 *
 * <p>Parameters and gradients live in ND4J arrays ({@link dev.streamlearn.model.FloatTensor}); the per-sample hot
 * path calls the OpenBLAS that ND4J bundles directly on those arrays' native buffers and does element-wise work in
 * plain Java loops, because ND4J's per-op overhead dominates at batch size 1. The optimisers that touch every element
 * ({@link dev.streamlearn.model.ElementwiseOptimiser}) keep their state in heap arrays, where the JIT vectorises
 * them. Which optimiser, with exactly its hyperparameters, is a {@link dev.streamlearn.model.OptimizerSpec}.
 * This package depends on ND4J, JavaCPP/OpenBLAS and Jackson only; it must never import Kafka (a test enforces it),
 * so all the math is testable without a broker.
 */
package dev.streamlearn.model;
