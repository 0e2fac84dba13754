/**
 * Fast step kernels: a trained network's weights, exported once from DL4J ({@link io.seqcast.model.NetworkWeights}),
 * fused ({@link io.seqcast.kernel.FusedWeights}; a block-diagonal layer, as an ensemble's, split into its independent
 * blocks of units so that its zero weights are never multiplied) and run by {@link io.seqcast.kernel.FusedKernel} or, with the Vector
 * API, {@link io.seqcast.kernel.VectorKernel} (re-laid out by {@code VectorWeights}): {@link
 * io.seqcast.model.SequenceModel}s tuned for one step of one series per call (the engine's hot path). They share the
 * per-series loop of {@link io.seqcast.model.StepKernel}; {@link io.seqcast.model.KernelModel} stays the plain
 * reference the tests compare against, together with DL4J's own output.
 */
package io.seqcast.kernel;
