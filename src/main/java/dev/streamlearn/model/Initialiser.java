package dev.streamlearn.model;

import java.util.Locale;

/**
 * How a parameter tensor gets its first values. Written as flag text: {@code zeros}, {@code constant:C},
 * {@code uniform:A:B}, {@code normal:MEAN:STD}, {@code truncated-normal:MEAN:STD} (redrawn beyond two standard
 * deviations), {@code xavier-uniform}, {@code xavier-normal}, {@code he-uniform}, {@code he-normal}.
 */
public sealed interface Initialiser {

    /** Fills a tensor of a layer with the given fan-in and fan-out. */
    void fill(FloatTensor tensor, int fanIn, int fanOut, SeededRandom random);

    /** The flag text that parses back to this initialiser. */
    String spec();

    record Zeros() implements Initialiser {
        @Override
        public void fill(FloatTensor tensor, int fanIn, int fanOut, SeededRandom random) {
            tensor.fill(0f);
        }

        @Override
        public String spec() {
            return "zeros";
        }
    }

    record Constant(double value) implements Initialiser {
        public Constant {
            weight("constant init", value);
        }

        @Override
        public void fill(FloatTensor tensor, int fanIn, int fanOut, SeededRandom random) {
            tensor.fill((float) value);
        }

        @Override
        public String spec() {
            return "constant:" + value;
        }
    }

    record Uniform(double low, double high) implements Initialiser {
        public Uniform {
            weight("uniform init low", low);
            weight("uniform init high", high);
            if (!(low < high)) {
                throw new IllegalArgumentException("uniform init needs low < high, got [" + low + ", " + high + ")");
            }
        }

        @Override
        public void fill(FloatTensor tensor, int fanIn, int fanOut, SeededRandom random) {
            for (int i = 0; i < tensor.length(); i++) {
                tensor.set(i, (float) random.uniform(low, high));
            }
        }

        @Override
        public String spec() {
            return "uniform:" + low + ":" + high;
        }
    }

    record Normal(double mean, double std, boolean truncated) implements Initialiser {
        public Normal {
            weight("normal init mean", mean);
            if (!(std > 0) || !(std <= Float.MAX_VALUE)) {
                throw new IllegalArgumentException("normal init needs a std > 0 that a float holds, got " + std);
            }
        }

        @Override
        public void fill(FloatTensor tensor, int fanIn, int fanOut, SeededRandom random) {
            for (int i = 0; i < tensor.length(); i++) {
                double draw = random.gaussian();
                while (truncated && Math.abs(draw) > 2.0) {
                    draw = random.gaussian();
                }
                tensor.set(i, (float) (mean + std * draw));
            }
        }

        @Override
        public String spec() {
            return (truncated ? "truncated-normal:" : "normal:") + mean + ":" + std;
        }
    }

    /** Glorot and Bengio (2010): variance 2 / (fanIn + fanOut), keeping activations and gradients in scale. */
    record Xavier(boolean uniform) implements Initialiser {
        @Override
        public void fill(FloatTensor tensor, int fanIn, int fanOut, SeededRandom random) {
            double std = Math.sqrt(2.0 / (fanIn + fanOut));
            scaled(tensor, std, uniform, random);
        }

        @Override
        public String spec() {
            return uniform ? "xavier-uniform" : "xavier-normal";
        }
    }

    /** He et al. (2015): variance 2 / fanIn, for ReLU layers that zero half their inputs. */
    record He(boolean uniform) implements Initialiser {
        @Override
        public void fill(FloatTensor tensor, int fanIn, int fanOut, SeededRandom random) {
            scaled(tensor, Math.sqrt(2.0 / fanIn), uniform, random);
        }

        @Override
        public String spec() {
            return uniform ? "he-uniform" : "he-normal";
        }
    }

    /** A bound or value of weights must be a float: not NaN, not infinite, not beyond the float range. */
    private static void weight(String what, double value) {
        if (!(Math.abs(value) <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException(what + " is " + value + ", expected a finite number within the float "
                    + "range (|x| <= " + Float.MAX_VALUE + ")");
        }
    }

    private static void scaled(FloatTensor tensor, double std, boolean uniform, SeededRandom random) {
        double limit = Math.sqrt(3.0) * std; // uniform(-l, l) has std l / sqrt(3)
        for (int i = 0; i < tensor.length(); i++) {
            double value = uniform ? random.uniform(-limit, limit) : std * random.gaussian();
            tensor.set(i, (float) value);
        }
    }

    /** Parses flag text such as {@code uniform:-0.01:0.01}; the message names what was expected. */
    public static Initialiser parse(String spec) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            switch (parts[0]) {
                case "zeros":
                    expectArgs(parts, 0);
                    return new Zeros();
                case "constant":
                    expectArgs(parts, 1);
                    return new Constant(Double.parseDouble(parts[1]));
                case "uniform":
                    expectArgs(parts, 2);
                    return new Uniform(Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
                case "normal":
                case "truncated-normal":
                    expectArgs(parts, 2);
                    return new Normal(Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
                            parts[0].startsWith("truncated"));
                case "xavier-uniform":
                case "xavier-normal":
                    expectArgs(parts, 0);
                    return new Xavier(parts[0].endsWith("uniform"));
                case "he-uniform":
                case "he-normal":
                    expectArgs(parts, 0);
                    return new He(parts[0].endsWith("uniform"));
                default:
                    throw new IllegalArgumentException("unknown initialiser");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad initialiser '" + spec + "' (" + e.getMessage() + "); expected "
                    + "zeros, constant:C, uniform:A:B, normal:MEAN:STD, truncated-normal:MEAN:STD, xavier-uniform, "
                    + "xavier-normal, he-uniform or he-normal", e);
        }
    }

    private static void expectArgs(String[] parts, int count) {
        if (parts.length - 1 != count) {
            throw new IllegalArgumentException(parts[0] + " takes " + count + " number(s)");
        }
    }
}
