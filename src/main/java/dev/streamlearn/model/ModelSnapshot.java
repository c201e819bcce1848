package dev.streamlearn.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compact binary form of a trainer: configuration (JSON), update count, cumulative accuracy figures, every
 * parameter tensor and every optimiser state tensor, floats stored bit for bit. Layout (little-endian):
 * magic "SLM2", config length + UTF-8 JSON, updates, totalSteps, totalCorrect, lossEma, the sum of every step's loss,
 * tensor count, then each tensor as length + floats; with standardisation (which the configuration says), then the
 * count of inputs observed, their means and their sums of squared deviations, as doubles. Snapshots of the first
 * layout ("SLM1", the same without the loss sum) still read, their cumulative loss unknown (NaN).
 */
public final class ModelSnapshot {
    private static final int MAGIC = 0x324d4c53; // "SLM2" read little-endian
    private static final int MAGIC_WITHOUT_LOSS_SUM = 0x314d4c53; // "SLM1"
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelSnapshot() {
    }

    /** The size of a snapshot of a model of this configuration, known before the model is built. */
    public static long bytes(ModelConfig config) {
        long header = 4 + 4 + configJson(config).getBytes(StandardCharsets.UTF_8).length + 8 * 5 + 4;
        long tensors = 0;
        long floats = 0;
        for (int l = 1; l < config.layers().size(); l++) {
            tensors += 2;
            floats += (long) config.layers().get(l - 1) * config.layers().get(l) + config.layers().get(l);
        }
        int copies = 1 + config.optimizer().stateCopies();
        long standardiser = config.standardise() ? 8 + 16L * config.inputSize() : 0;
        return header + copies * (4 * tensors + 4 * floats) + standardiser;
    }

    public static byte[] write(OnlineTrainer trainer) {
        byte[] config = configJson(trainer.config()).getBytes(StandardCharsets.UTF_8);
        List<float[]> tensors = tensorsOf(trainer);
        Standardiser standardiser = trainer.network().standardiser();
        long size = 4 + 4 + config.length + 8 * 5 + 4 + (standardiser == null ? 0 : 8 + 16L * standardiser.features());
        for (float[] tensor : tensors) {
            size += 4 + 4L * tensor.length;
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(config.length).put(config);
        TrainingWindow window = trainer.window();
        out.putLong(trainer.updates()).putLong(window.totalSteps()).putLong(window.totalCorrect())
                .putDouble(window.lossEma()).putDouble(window.totalLossSum());
        out.putInt(tensors.size());
        for (float[] tensor : tensors) {
            out.putInt(tensor.length);
            out.asFloatBuffer().put(tensor);
            out.position(out.position() + 4 * tensor.length);
        }
        if (standardiser != null) {
            out.putLong(standardiser.count());
            out.asDoubleBuffer().put(standardiser.means());
            out.position(out.position() + 8 * standardiser.features());
            out.asDoubleBuffer().put(standardiser.m2());
            out.position(out.position() + 8 * standardiser.features());
        }
        return out.array();
    }

    public static OnlineTrainer read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = bytes.length < 8 ? 0 : in.getInt();
        if (magic != MAGIC && magic != MAGIC_WITHOUT_LOSS_SUM) {
            throw new IllegalArgumentException("not a streamlearn model snapshot (bad magic number)");
        }
        byte[] config = new byte[in.getInt()];
        in.get(config);
        OnlineTrainer trainer = new OnlineTrainer(parseConfig(new String(config, StandardCharsets.UTF_8)));
        trainer.restoreUpdates(in.getLong());
        long totalSteps = in.getLong();
        long totalCorrect = in.getLong();
        double lossEma = in.getDouble();
        trainer.window().restoreTotals(totalSteps, totalCorrect, lossEma,
                magic == MAGIC ? in.getDouble() : Double.NaN);
        List<float[]> tensors = tensorsOf(trainer);
        int count = in.getInt();
        if (count != tensors.size()) {
            throw new IllegalArgumentException("snapshot holds " + count + " tensors, its model has "
                    + tensors.size());
        }
        for (float[] tensor : tensors) {
            int length = in.getInt();
            if (length != tensor.length) {
                throw new IllegalArgumentException("snapshot tensor has " + length + " floats, expected "
                        + tensor.length);
            }
            in.asFloatBuffer().get(tensor);
            in.position(in.position() + 4 * length);
        }
        int parameterCount = trainer.network().parameters().size();
        FloatTensor.copyFrom(tensors.subList(0, parameterCount), trainer.network().parameters());
        trainer.optimiser().restoreState(tensors.subList(parameterCount, tensors.size()));
        Standardiser standardiser = trainer.network().standardiser();
        if (standardiser != null) {
            long observed = in.getLong();
            double[] means = new double[standardiser.features()];
            double[] m2s = new double[standardiser.features()];
            in.asDoubleBuffer().get(means);
            in.position(in.position() + 8 * means.length);
            in.asDoubleBuffer().get(m2s);
            standardiser.restore(observed, means, m2s);
        }
        return trainer;
    }

    /** Copies of the parameters, then of the optimiser state, in snapshot order. */
    private static List<float[]> tensorsOf(OnlineTrainer trainer) {
        List<float[]> tensors = FloatTensor.toArrays(trainer.network().parameters());
        tensors.addAll(trainer.optimiser().saveState());
        return tensors;
    }

    /**
     * The configuration as JSON: "name", then each {@link ModelField} that applies under its JSON key (an optimiser
     * hyperparameter only when the optimiser takes it), widths as an array, numbers as numbers.
     */
    public static String configJson(ModelConfig config) {
        ObjectNode json = JSON.createObjectNode();
        json.put("name", config.name());
        for (ModelField field : ModelField.values()) {
            String text = field.text(config);
            if (text == null) {
                continue;
            }
            if (field == ModelField.LAYERS) {
                ArrayNode widths = json.putArray(field.jsonKey());
                config.layers().forEach(widths::add);
            } else {
                putScalar(json, field.jsonKey(), text);
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model config as JSON", e);
        }
    }

    private static void putScalar(ObjectNode json, String key, String text) {
        try {
            json.put(key, Long.parseLong(text));
            return;
        } catch (NumberFormatException notWhole) {
            // Not a whole number: a decimal or a name.
        }
        try {
            json.put(key, Double.parseDouble(text));
        } catch (NumberFormatException notNumber) {
            json.put(key, text);
        }
    }

    /**
     * Reads {@link #configJson}, and the JSON of earlier releases, which wrote every optimiser's hyperparameters
     * whatever the optimiser: those the named optimiser does not take are passed over.
     */
    public static ModelConfig parseConfig(String text) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad model config JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("bad model config JSON: not an object");
        }
        ModelConfig.Builder builder = new ModelConfig.Builder().name(json.path("name").asText("custom"));
        String optimizer = json.path(ModelField.OPTIMIZER.jsonKey()).asText("sgd");
        Set<String> taken = OptimizerSpec.of(optimizer, Map.of()).hyperparameters().keySet();
        for (ModelField field : ModelField.values()) {
            JsonNode value = json.get(field.jsonKey());
            if (value == null || value.isNull() || field.isOptimizerHyperparameter() && !taken.contains(field.flag())) {
                continue;
            }
            field.apply(builder, value.isArray() ? widths(value) : value.asText());
        }
        return builder.build();
    }

    private static String widths(JsonNode array) {
        StringBuilder text = new StringBuilder();
        array.forEach(width -> text.append(text.length() == 0 ? "" : "-").append(width.asText()));
        return text.toString();
    }
}
