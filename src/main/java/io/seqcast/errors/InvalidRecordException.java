package io.seqcast.errors;

/** A record that cannot be processed, with the reason it goes to the dead-letter topic. */
public final class InvalidRecordException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public InvalidRecordException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
