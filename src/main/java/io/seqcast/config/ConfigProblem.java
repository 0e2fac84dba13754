package io.seqcast.config;

/**
 * One thing wrong with a configuration: where, which key, what, and how to fix it.
 *
 * @param source the file (or "environment", "command line") the value came from
 * @param key the configuration key
 * @param problem what is wrong
 * @param fix what to do about it
 */
public record ConfigProblem(String source, String key, String problem, String fix) {

    @Override
    public String toString() {
        return source + ": " + key + ": " + problem + " Fix: " + fix;
    }
}
