package dev.streamlearn.data;

/** A malformed row of a CSV or JSON lines file: the message names the file, the line and the fault. */
public final class TableFormatException extends IllegalArgumentException {
    public TableFormatException(String source, long line, String fault) {
        super(source + ":" + line + ": " + fault);
    }
}
