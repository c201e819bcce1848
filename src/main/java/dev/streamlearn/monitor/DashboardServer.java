package dev.streamlearn.monitor;

import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.diagnosis.Rule;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamlearn.avro.TrainingSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The web dashboard: a page drawing the run live from Server-Sent Events, and {@code /metrics} in Prometheus text
 * format. Charts come from the uPlot WebJar on the classpath (no CDN: it works offline). It binds where it is told
 * (127.0.0.1 by default), answers GET only, refuses request bodies, and keeps the last {@link #HISTORY_CAP}
 * summaries for late browsers: memory stays flat however long the run.
 */
public final class DashboardServer implements AutoCloseable {
    public static final int HISTORY_CAP = 1_000;
    /** Events a browser may fall behind by, beyond the history it is sent on connecting, before it is dropped. */
    static final int CLIENT_BACKLOG = 256;
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final int MAX_URI_LENGTH = 2_048;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "dashboard-http");
        thread.setDaemon(true);
        return thread;
    });
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<String> history = new ArrayDeque<>();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final TrainingMetrics metrics = new TrainingMetrics();

    private DashboardServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::page);
        server.createContext("/uplot/", exchange -> resource(exchange, UPLOT + fileName(exchange)));
        server.createContext("/events", this::events);
        server.createContext("/metrics", this::metrics);
        server.createContext("/rules", this::rules);
        server.start();
    }

    /**
     * @param address where to listen, such as 127.0.0.1:8080 (port 0 for any free port)
     */
    public static DashboardServer start(InetSocketAddress address) {
        try {
            return new DashboardServer(HttpServer.create(address, 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** Shows a new summary: metrics, history, and every connected browser. */
    public void publish(TrainingSummary summary) {
        metrics.update(summary);
        String event;
        try {
            event = "data: " + json.writeValueAsString(DashboardPoint.of(summary)) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a summary as JSON", e);
        }
        synchronized (history) {
            if (history.size() == HISTORY_CAP) {
                history.removeFirst();
            }
            history.addLast(event);
        }
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        for (Client client : clients) {
            if (!client.offer(bytes)) {
                clients.remove(client);
                client.drop();
            }
        }
    }

    /**
     * One browser's event stream: events wait in a bounded queue and a thread of the client's own writes them, so a
     * browser that stops reading holds up neither the publisher, nor the server's threads, nor the other browsers; one
     * that falls {@link #CLIENT_BACKLOG} events behind is dropped. (A writer blocked on a browser that never reads
     * stays blocked until the connection breaks; it holds only its own thread.)
     */
    private final class Client {
        private final OutputStream out;
        private final BlockingQueue<byte[]> queue;
        private final Thread writer;
        private volatile boolean dropped;

        Client(OutputStream out, List<byte[]> backlog) {
            this.out = out;
            this.queue = new ArrayBlockingQueue<>(backlog.size() + CLIENT_BACKLOG);
            this.queue.addAll(backlog);
            this.writer = new Thread(this::write, "dashboard-client");
            writer.setDaemon(true);
            writer.start();
        }

        boolean offer(byte[] event) {
            return !dropped && queue.offer(event);
        }

        private void write() {
            try {
                while (!dropped) {
                    byte[] event = queue.take();
                    out.write(event);
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (IOException | InterruptedException gone) {
                clients.remove(this);
            }
        }

        void drop() {
            dropped = true;
            writer.interrupt();
        }

        void close() {
            drop();
            try {
                out.close();
            } catch (IOException ignored) {
                // The browser already went away.
            }
        }
    }

    /** Refuses anything but a plain GET; returns false when it answered with an error. */
    private static boolean acceptable(HttpExchange exchange) throws IOException {
        int status = 0;
        if (!"GET".equals(exchange.getRequestMethod())) {
            status = 405;
        } else if (exchange.getRequestURI().toString().length() > MAX_URI_LENGTH) {
            status = 414;
        } else if (exchange.getRequestHeaders().containsKey("Content-Length")
                && !"0".equals(exchange.getRequestHeaders().getFirst("Content-Length"))
                || exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            status = 413;
        }
        if (status != 0) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return false;
        }
        return true;
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            if (acceptable(exchange)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
            return;
        }
        resource(exchange, "dev/streamlearn/monitor/dashboard.html");
    }

    private static String fileName(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void resource(HttpExchange exchange, String name) throws IOException {
        if (!acceptable(exchange)) {
            return;
        }
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null || name.contains("..")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = in.readAllBytes();
            String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css"
                    : "text/html; charset=utf-8";
            send(exchange, type, body);
        }
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void events(HttpExchange exchange) throws IOException {
        if (!acceptable(exchange)) {
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        List<byte[]> backlog = new ArrayList<>();
        synchronized (history) {
            for (String event : history) {
                backlog.add(event.getBytes(StandardCharsets.UTF_8));
            }
            clients.add(new Client(exchange.getResponseBody(), backlog));
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        if (!acceptable(exchange)) {
            return;
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        metrics.write(body);
        send(exchange, "text/plain; version=0.0.4; charset=utf-8", body.toByteArray());
    }

    private void rules(HttpExchange exchange) throws IOException {
        if (!acceptable(exchange)) {
            return;
        }
        Map<String, Map<String, String>> catalogue = new LinkedHashMap<>();
        for (Rule rule : Catalogue.ALL) {
            catalogue.put(rule.name(), Map.of("severity", rule.severity().name().toLowerCase(Locale.ROOT),
                    "explanation", rule.explanation(), "fix", rule.fix()));
        }
        send(exchange, "application/json", json.writeValueAsBytes(catalogue));
    }

    @Override
    public void close() {
        for (Client client : clients) {
            client.close();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
