/**
 * Serving: the {@link io.seqcast.model.SequenceModel} the engine steps, its shapes, model artifacts and their metadata.
 * Nothing here trains ({@code io.seqcast.training} does). {@link io.seqcast.model.GruLayer} and its implementation
 * stay here although training builds them: saved networks name the layer's class, so moving it would break every
 * GRU artifact written so far.
 */
package io.seqcast.model;
