package dev.streamlearn.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamlearn.learner.ModelKey;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.Pixels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Predictions over HTTP from the version being served: {@code POST /predict} with a JSON object
 * ({@code {"features": [...]}}, or {@code {"pixels": [...]}} of 0-255 for an image model) or an array of them, answered
 * per object with {@code {"class", "probabilities", "step"}} (a binary head: {@code "positive"} and
 * {@code "probability"}; a numeric head: {@code "value"}); {@code GET /model}: the version's learner, step, age and
 * config. A malformed body or a wrong feature count is a 400 with the reason, a body over {@link #MAX_BODY_BYTES} a
 * 413, no version yet a 503. With one model per partition, an object's {@code "key"} (the record's key) chooses it,
 * and {@code GET /model} lists every partition's version ({@code ?key=K}: the one that answers K).
 */
public final class PredictionServer implements AutoCloseable {
    /** Requests larger than this are refused before they are read whole. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private static final String NO_VERSION = "no model version for this request yet (a learner with one model per "
            + "partition answers a request with its \"key\")";

    private final Versions versions;

    private PredictionServer(HttpServer server, Versions versions) {
        this.server = server;
        this.versions = versions;
        server.createContext("/predict", this::predict);
        server.createContext("/model", this::model);
        server.start();
    }

    /**
     * Listens there (port 0 for any free port) and answers from whatever version the supplier gives. Its sockets send
     * at once (TCP_NODELAY, unless sun.net.httpserver.nodelay says otherwise): with Nagle's algorithm each answer
     * waited out the client's delayed acknowledgement.
     */
    public static PredictionServer start(InetSocketAddress address, Versions versions) {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            return new PredictionServer(HttpServer.create(address, 64), versions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** A request that cannot be answered, with its status and reason. */
    private static final class Refusal extends Exception {
        final int status;

        Refusal(int status, String reason) {
            super(reason);
            this.status = status;
        }
    }

    private void predict(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                if (!exchange.getRequestMethod().equals("POST")) {
                    throw new Refusal(405, "POST a JSON object or array to /predict");
                }
                JsonNode body = body(exchange);
                JsonNode answer;
                if (body.isArray()) {
                    ArrayNode answers = JSON.createArrayNode();
                    for (JsonNode request : body) {
                        answers.add(answer(version(request), request));
                    }
                    answer = answers;
                } else {
                    answer = answer(version(body), body);
                }
                send(exchange, 200, answer);
            } catch (Refusal refusal) {
                send(exchange, refusal.status, JSON.createObjectNode().put("error", refusal.getMessage()));
            }
        }
    }

    /**
     * The version that answers one request object: by its "key" when the learner trains one model per partition (a
     * string is its UTF-8 bytes, a whole number its 8 bytes as Kafka's LongSerializer writes them).
     */
    private ServedModel version(JsonNode request) throws Refusal {
        JsonNode key = request.get("key");
        byte[] bytes;
        if (key == null || key.isNull()) {
            bytes = null;
        } else if (key.isTextual()) {
            bytes = key.asText().getBytes(StandardCharsets.UTF_8);
        } else if (key.canConvertToLong() && key.isIntegralNumber()) {
            bytes = ByteBuffer.allocate(Long.BYTES).putLong(key.longValue()).array();
        } else {
            throw new Refusal(400, "key " + key + " is not a string or a whole number");
        }
        return versions.forKey(bytes).orElseThrow(() -> new Refusal(503, NO_VERSION));
    }

    /**
     * The version served: its learner, step, age and configuration; with one model per partition each partition's, or
     * with {@code ?key=K} (the key's UTF-8 bytes) the one that answers that key.
     */
    private void model(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            Map<Integer, ServedModel> all = versions.all();
            if (query != null && query.startsWith("key=")) {
                byte[] key = URLDecoder.decode(query.substring("key=".length()), StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8);
                Optional<ServedModel> model = versions.forKey(key);
                if (model.isEmpty()) {
                    send(exchange, 503, JSON.createObjectNode().put("error", NO_VERSION));
                } else {
                    send(exchange, 200, about(model.get()));
                }
                return;
            }
            if (all.isEmpty()) {
                send(exchange, 503, JSON.createObjectNode().put("error", NO_VERSION));
            } else if (all.containsKey(ModelKey.SINGLE)) {
                send(exchange, 200, about(all.get(ModelKey.SINGLE)));
            } else {
                ObjectNode partitions = JSON.createObjectNode();
                ArrayNode list = partitions.put("learner", all.values().iterator().next().learner())
                        .putArray("partitions");
                for (Map.Entry<Integer, ServedModel> version : new TreeMap<>(all).entrySet()) {
                    list.add(about(version.getValue()).put("partition", version.getKey()));
                }
                send(exchange, 200, partitions);
            }
        }
    }

    private static ObjectNode about(ServedModel served) throws JsonProcessingException {
        ObjectNode about = JSON.createObjectNode().put("learner", served.learner()).put("step", served.step())
                .put("publishedAt", served.publishedAt().toString())
                .put("ageMillis", Instant.now().toEpochMilli() - served.publishedAt().toEpochMilli());
        about.set("config", JSON.readTree(ModelSnapshot.configJson(served.config())));
        return about;
    }

    private static JsonNode body(HttpExchange exchange) throws IOException, Refusal {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new Refusal(413, "the body is over " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode body = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (body == null || !(body.isObject() || body.isArray())) {
                throw new Refusal(400, "the body is not a JSON object or array");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new Refusal(400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** One object's answer from the model. */
    static JsonNode answer(ServedModel model, JsonNode request) throws Refusal {
        ModelConfig config = model.config();
        float[] input = input(request, config.inputSize());
        float[] answer = model.answer(input);
        ObjectNode result = JSON.createObjectNode();
        if (config.loss().isNumeric()) {
            if (answer.length == 1) {
                result.put("value", answer[0]);
            } else {
                ArrayNode values = result.putArray("value");
                for (float value : answer) {
                    values.add(value);
                }
            }
        } else if (config.loss().isBinary()) {
            result.put("positive", answer[0] > 0.5f).put("probability", answer[0]);
        } else {
            int best = 0;
            ArrayNode probabilities = result.putArray("probabilities");
            for (int i = 0; i < answer.length; i++) {
                probabilities.add(answer[i]);
                if (answer[i] > answer[best]) {
                    best = i;
                }
            }
            result.put("class", best);
        }
        return result.put("step", model.step());
    }

    private static float[] input(JsonNode request, int inputSize) throws Refusal {
        if (!request.isObject()) {
            throw new Refusal(400, "each request is a JSON object with \"features\" or \"pixels\"");
        }
        boolean pixels = request.has("pixels");
        JsonNode values = request.get(pixels ? "pixels" : "features");
        if (values == null || !values.isArray()) {
            throw new Refusal(400, "no \"features\" (or \"pixels\") array");
        }
        if (values.size() != inputSize) {
            throw new Refusal(400, "the request has " + values.size() + (pixels ? " pixels" : " features")
                    + ", the model takes " + inputSize);
        }
        float[] input = new float[inputSize];
        for (int i = 0; i < inputSize; i++) {
            JsonNode value = values.get(i);
            if (!value.isNumber() || !Float.isFinite(value.floatValue())) {
                throw new Refusal(400, (pixels ? "pixel " : "feature ") + i + " is " + value
                        + ", expected a finite number");
            }
            if (pixels && (value.intValue() < 0 || value.intValue() > 255 || !value.canConvertToInt())) {
                throw new Refusal(400, "pixel " + i + " is " + value + ", expected 0 to 255");
            }
            input[i] = pixels ? Pixels.scaled(value.intValue()) : value.floatValue();
        }
        return input;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
