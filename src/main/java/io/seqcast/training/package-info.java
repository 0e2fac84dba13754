/**
 * Training: building DL4J networks ({@link io.seqcast.training.Networks}), the trainers (stateful many-to-many
 * {@link io.seqcast.training.Trainer}, windowed {@link io.seqcast.training.SequenceTrainer}), and the workflows
 * {@code seqcast train} runs (forecasters, beat classifiers) up to the written artifact. Serving code does not use
 * this package; the commands, the continual trainer and the benchmark do.
 */
package io.seqcast.training;
