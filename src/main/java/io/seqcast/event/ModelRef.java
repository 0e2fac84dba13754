package io.seqcast.event;

/** The model that produced an output: its name and version. */
public record ModelRef(String name, String version) {}
