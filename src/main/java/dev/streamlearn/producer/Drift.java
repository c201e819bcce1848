package dev.streamlearn.producer;

import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.model.SeededRandom;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A change of the stream at one position of the send order (counting across epochs, as {@code --start-id} does):
 * from record {@code at} on, every record is changed so, and the records say nothing about it. Several drifts add up,
 * each from its own position.
 *
 * @param at the first position the change applies to, >= 0
 * @param kind what changes
 * @param shift for {@link Kind#SHIFT_TARGET}, what is added to every target
 */
public record Drift(long at, Kind kind, double shift) {

    public enum Kind {
        /** Classes relabelled by a fixed seeded permutation that moves every class: the concept itself changes. */
        PERMUTE_LABELS("permute-labels"),
        /** Images turned 90 degrees clockwise: the inputs move, the concept stays. */
        ROTATE("rotate"),
        /** Images inverted, 255 - pixel. */
        INVERT("invert"),
        /** Numeric targets moved by a constant (a regression stream's level shifts). */
        SHIFT_TARGET("shift-target");

        private final String flag;

        Kind(String flag) {
            this.flag = flag;
        }

        public String flag() {
            return flag;
        }
    }

    /** The shift of {@code AT:shift-target} when none is given. */
    static final double DEFAULT_SHIFT = 1.0;

    public Drift {
        if (at < 0) {
            throw new IllegalArgumentException("--drift at " + at + ", expected a position >= 0");
        }
        if (!Double.isFinite(shift)) {
            throw new IllegalArgumentException("--drift shift " + shift + " is not a number");
        }
    }

    /** {@code AT:KIND}, or {@code AT:shift-target=DELTA}: e.g. {@code 30000:permute-labels}. */
    public static Drift parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--drift is '" + text + "', expected AT:KIND (KIND one of "
                    + "permute-labels, rotate, invert, shift-target[=DELTA])");
        }
        long at;
        try {
            at = Long.parseLong(text.substring(0, colon).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--drift is '" + text + "': '" + text.substring(0, colon)
                    + "' is not a position");
        }
        String kindText = text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        double shift = DEFAULT_SHIFT;
        int equals = kindText.indexOf('=');
        if (equals >= 0) {
            try {
                shift = Double.parseDouble(kindText.substring(equals + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--drift is '" + text + "': '" + kindText.substring(equals + 1)
                        + "' is not a number");
            }
            kindText = kindText.substring(0, equals);
        }
        for (Kind kind : Kind.values()) {
            if (kind.flag.equals(kindText)) {
                if (equals >= 0 && kind != Kind.SHIFT_TARGET) {
                    throw new IllegalArgumentException("--drift is '" + text + "': only shift-target takes a value");
                }
                return new Drift(at, kind, shift);
            }
        }
        throw new IllegalArgumentException("--drift is '" + text + "': unknown kind '" + kindText + "', expected "
                + "permute-labels, rotate, invert or shift-target[=DELTA]");
    }

    /** Changes a record sent at a position: each drift that has begun, in the order given. */
    @FunctionalInterface
    public interface Applied<T> {
        T apply(T record, long position);
    }

    /** The drifts on MNIST samples; a shift of targets is refused (images have classes). */
    public static Applied<Sample> onSamples(List<Drift> drifts, long seed, int classes) {
        for (Drift drift : drifts) {
            if (drift.kind == Kind.SHIFT_TARGET) {
                throw new IllegalArgumentException("--drift " + drift.at + ":shift-target: images have classes, not "
                        + "numeric targets (use it on a --csv/--jsonl/--synthetic stream of numbers)");
            }
        }
        int[] permutation = derangement(classes, seed);
        return (sample, position) -> {
            for (Drift drift : drifts) {
                if (position < drift.at) {
                    continue;
                }
                switch (drift.kind) {
                    case PERMUTE_LABELS -> {
                        if (sample.getLabel() >= 0) {
                            sample.setLabel(permutation[sample.getLabel()]);
                        }
                    }
                    case ROTATE -> sample.setPixels(ByteBuffer.wrap(rotated(pixels(sample), sample.getRows(),
                            sample.getCols())));
                    case INVERT -> sample.setPixels(ByteBuffer.wrap(inverted(pixels(sample))));
                    case SHIFT_TARGET -> throw new IllegalStateException("refused above");
                }
            }
            return sample;
        };
    }

    /** The drifts on table rows: classes permuted, targets shifted; images' kinds are refused. */
    public static Applied<Features> onFeatures(List<Drift> drifts, long seed, int classes) {
        for (Drift drift : drifts) {
            if (drift.kind == Kind.ROTATE || drift.kind == Kind.INVERT) {
                throw new IllegalArgumentException("--drift " + drift.at + ":" + drift.kind.flag + " changes images; "
                        + "these rows are features (use permute-labels or shift-target)");
            }
        }
        for (Drift drift : drifts) {
            if (drift.kind == Kind.PERMUTE_LABELS && classes < 2) {
                throw new IllegalArgumentException("--drift " + drift.at + ":permute-labels: these rows have no "
                        + "classes to permute (numeric targets: use shift-target)");
            }
        }
        int[] permutation = classes < 2 ? null : derangement(classes, seed);
        return (row, position) -> {
            for (Drift drift : drifts) {
                if (position < drift.at) {
                    continue;
                }
                if (drift.kind == Kind.PERMUTE_LABELS && row.getLabel() != null && row.getLabel() >= 0) {
                    row.setLabel(permutation[row.getLabel()]);
                } else if (drift.kind == Kind.SHIFT_TARGET && row.getTarget() != null) {
                    List<Double> shifted = new ArrayList<>(row.getTarget().size());
                    for (double target : row.getTarget()) {
                        shifted.add(target + drift.shift);
                    }
                    row.setTarget(shifted);
                }
            }
            return row;
        };
    }

    /** A seeded permutation of the classes that moves every one of them. */
    static int[] derangement(int classes, long seed) {
        SeededRandom random = new SeededRandom(seed ^ 0x5DEECE66DL);
        while (true) {
            int[] permutation = random.permutation(classes);
            boolean movesAll = true;
            for (int c = 0; c < classes; c++) {
                movesAll &= permutation[c] != c;
            }
            if (movesAll) {
                return permutation;
            }
        }
    }

    private static byte[] pixels(Sample sample) {
        ByteBuffer buffer = sample.getPixels().duplicate();
        byte[] pixels = new byte[buffer.remaining()];
        buffer.get(pixels);
        return pixels;
    }

    /** Turned 90 degrees clockwise: row r, column c goes to row c, column rows - 1 - r. */
    static byte[] rotated(byte[] pixels, int rows, int cols) {
        byte[] turned = new byte[pixels.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                turned[c * rows + (rows - 1 - r)] = pixels[r * cols + c];
            }
        }
        return turned;
    }

    static byte[] inverted(byte[] pixels) {
        byte[] inverse = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            inverse[i] = (byte) (255 - (pixels[i] & 0xff));
        }
        return inverse;
    }
}
