/**
 * Fast step kernels: a trained network's weights, exported once from DL4J ({@link io.seqcast.kernel.FusedWeights}),
 * run by {@link io.seqcast.kernel.FusedKernel}, a {@link io.seqcast.model.SequenceModel} tuned for one step of one
 * series per call (the engine's hot path) and for batches. {@link io.seqcast.model.KernelModel} stays the plain
 * reference the tests compare against, together with DL4J's own output.
 */
package io.seqcast.kernel;
