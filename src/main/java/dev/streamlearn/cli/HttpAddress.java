package dev.streamlearn.cli;

import java.net.InetSocketAddress;

/** The HOST:PORT of an --http option, parsed at the edge for the dashboard and the prediction server alike. */
final class HttpAddress {
    private HttpAddress() {
    }

    /** host:port such as 127.0.0.1:8080 (port 0 for any free port); a bad one is refused naming the option. */
    static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--http is '" + text + "', expected HOST:PORT such as "
                    + "127.0.0.1:8080");
        }
        try {
            return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--http is '" + text + "': the port is not a number", e);
        }
    }
}
