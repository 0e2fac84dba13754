package io.seqcast.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which model version a pipeline serves, and the versions it served before (most recent last), so that a rollback
 * knows where to go. Stored in the models topic under the pipeline's name.
 *
 * @param active the version to serve
 * @param history versions served before, oldest first
 */
public record ModelPointer(String active, List<String> history) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelPointer {
        history = List.copyOf(history);
    }

    /** This pointer moved to {@code version}, the current version pushed onto the history. */
    public ModelPointer publish(String version) {
        List<String> h = new ArrayList<>(history);
        if (active != null) {
            h.add(active);
        }
        return new ModelPointer(version, h);
    }

    /** This pointer back at the version served before; fails when there is none. */
    public ModelPointer rollback() {
        if (history.isEmpty()) {
            throw new IllegalStateException("no earlier version to roll back to (serving " + active + ")");
        }
        return new ModelPointer(history.get(history.size() - 1), history.subList(0, history.size() - 1));
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelPointer fromJson(byte[] bytes) {
        try {
            return JSON.readValue(bytes, ModelPointer.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
