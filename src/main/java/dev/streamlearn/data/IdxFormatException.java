package dev.streamlearn.data;

import java.io.IOException;

/** An IDX file that is not what it claims: wrong magic number, impossible dimensions or wrong length. */
public final class IdxFormatException extends IOException {
    public IdxFormatException(String message) {
        super(message);
    }
}
