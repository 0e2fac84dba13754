package io.seqcast.topology;

import io.seqcast.event.Observation;

/**
 * A parsed observation on its way from the parser to the series processor, with the original bytes kept so that a
 * refusal further on (late, duplicate) can still dead-letter the record exactly as it arrived.
 */
record Inbound(Observation observation, byte[] rawKey, byte[] rawValue) {}
