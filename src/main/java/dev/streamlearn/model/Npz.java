package dev.streamlearn.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npz} export and import of a network's parameters as float32 arrays W1, b1, W2, b2, ... with W_k
 * shaped [fan_in, fan_out] (NPY format 1.0, little-endian, C order). The model config is written beside the archive
 * as JSON ({@code model.npz} gets {@code model.json}).
 */
public final class Npz {
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    public static void export(Network network, Path file) throws IOException {
        List<FloatTensor> parameters = network.parameters();
        List<String> names = network.parameterNames();
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            for (int i = 0; i < parameters.size(); i++) {
                zip.putNextEntry(new ZipEntry(names.get(i) + ".npy"));
                boolean transpose = i % 2 == 0 && !network.weightsInputMajor(i / 2);
                writeNpy(zip, transpose ? transposed(parameters.get(i)) : parameters.get(i));
                zip.closeEntry();
            }
            Standardiser standardiser = network.standardiser();
            if (standardiser != null) {
                zip.putNextEntry(new ZipEntry("mean.npy"));
                writeNpy(zip, FloatTensor.of(floats(standardiser.means()), standardiser.features()));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("std.npy"));
                writeNpy(zip, FloatTensor.of(floats(standardiser.stds()), standardiser.features()));
                zip.closeEntry();
            }
        }
        Files.writeString(configPathFor(file), ModelSnapshot.configJson(network.config()));
    }

    private static float[] floats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** A unit-major [fanOut, fanIn] weight matrix as the conventional [fan_in, fan_out]. */
    private static FloatTensor transposed(FloatTensor weights) {
        int[] shape = weights.shape();
        return FloatTensor.of(transpose(weights.toArray(), shape[0], shape[1]), shape[1], shape[0]);
    }

    /** The transpose of a row-major [rows, cols] matrix. */
    private static float[] transpose(float[] values, int rows, int cols) {
        float[] transposed = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                transposed[c * rows + r] = values[r * cols + c];
            }
        }
        return transposed;
    }

    /** Where {@link #export} puts the config JSON for an archive. */
    public static Path configPathFor(Path npz) {
        String name = npz.getFileName().toString();
        String stem = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
        return npz.resolveSibling(stem + ".json");
    }

    private static void writeNpy(OutputStream out, FloatTensor tensor) throws IOException {
        int[] shape = tensor.shape();
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? dims.toString().trim() : dims.substring(0, dims.length() - 2);
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (")
                .append(shapeText).append("), }");
        // Magic (6) + version (2) + length (2) + header must be a multiple of 64, the header ending in '\n'.
        int total = 10 + header.length() + 1;
        header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer prefix = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) headerBytes.length);
        out.write(prefix.array());
        out.write(headerBytes);
        ByteBuffer data = ByteBuffer.allocate(4 * tensor.length()).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(tensor.toArray());
        out.write(data.array());
    }

    /** Reads every float32 array of an archive, by name without ".npy", with its shape. */
    public static Map<String, float[]> read(Path file, Map<String, int[]> shapesOut) throws IOException {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.getName().endsWith(".npy")) {
                    continue;
                }
                String name = entry.getName().substring(0, entry.getName().length() - 4);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                zip.transferTo(bytes);
                ByteBuffer in = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                in.position(8);
                int headerLength = Short.toUnsignedInt(in.getShort());
                byte[] header = new byte[headerLength];
                in.get(header);
                String text = new String(header, StandardCharsets.US_ASCII);
                if (!text.contains("'<f4'") || text.contains("'fortran_order': True")) {
                    throw new IOException(file + ": " + name + " is not a little-endian C-order float32 array");
                }
                Matcher matcher = SHAPE.matcher(text);
                if (!matcher.find()) {
                    throw new IOException(file + ": " + name + " has no shape in its header");
                }
                int[] shape = java.util.Arrays.stream(matcher.group(1).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
                float[] values = new float[in.remaining() / 4];
                in.asFloatBuffer().get(values);
                arrays.put(name, values);
                shapesOut.put(name, shape);
            }
        }
        return arrays;
    }

    /** Loads exported weights into a network of the same architecture; the message names any mismatch. */
    public static void load(Network network, Path file) throws IOException {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> arrays = read(file, shapes);
        List<FloatTensor> parameters = network.parameters();
        List<String> names = network.parameterNames();
        for (int i = 0; i < parameters.size(); i++) {
            String name = names.get(i);
            float[] values = arrays.get(name);
            if (values == null) {
                throw new IOException(file + " has no array " + name + " (it holds " + arrays.keySet() + ")");
            }
            int[] held = parameters.get(i).shape();
            boolean transpose = i % 2 == 0 && !network.weightsInputMajor(i / 2);
            int[] wanted = transpose ? new int[] {held[1], held[0]} : held;
            if (!java.util.Arrays.equals(shapes.get(name), wanted)) {
                throw new IOException(file + ": " + name + " is shaped " + java.util.Arrays.toString(shapes.get(name))
                        + ", the model needs " + java.util.Arrays.toString(wanted));
            }
            parameters.get(i).copyFrom(transpose ? transpose(values, wanted[0], wanted[1]) : values);
        }
    }
}
