/**
 * Per-series learning in the stream: an online linear output layer per series ({@link io.seqcast.learn.OnlineHead},
 * recursive least squares with forgetting and a ridge prior) whose learned weights live in the series' state
 * ({@link io.seqcast.learn.HeadState}), and the scale-free and calendar inputs it reads
 * ({@link io.seqcast.learn.Inputs}), computed by the same code wherever they are used.
 */
package io.seqcast.learn;
