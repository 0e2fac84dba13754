package io.seqcast.model;

import java.io.IOException;

/** A model artifact file that cannot be used: unreadable, of an unknown format version, modified or inconsistent. */
public class ModelArtifactException extends IOException {

    public ModelArtifactException(String message) {
        super(message);
    }

    public ModelArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
