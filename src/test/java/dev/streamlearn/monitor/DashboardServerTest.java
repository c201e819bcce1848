package dev.streamlearn.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.streamlearn.kafka.Fixtures;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dashboard's event streams under browsers that stop reading. */
class DashboardServerTest {
    /** Connects to /events and never reads: its socket buffers fill and stay full. */
    private static Socket stalledBrowser(URI uri) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /events HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    @DisplayName("five browsers that never read hold up neither publishing, nor /metrics, nor a new browser")
    void stalledBrowsersAreDropped() throws Exception {
        try (DashboardServer dashboard = DashboardServer.start(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                stalled.add(stalledBrowser(dashboard.uri()));
            }
            Thread.sleep(200);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (long step = 100; step <= 20_000 * 100L; step += 100) {
                    dashboard.publish(Fixtures.summary(step));
                }
            }, "publishing blocked on browsers that do not read");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            HttpResponse<java.io.InputStream> events = http.send(HttpRequest.newBuilder(
                    dashboard.uri().resolve("/events")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, events.statusCode());
            String first = new String(events.body().readNBytes(6), StandardCharsets.UTF_8);
            assertEquals("data: ", first);
            events.body().close();
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }
}
