package dev.streamlearn.data;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Generated data sets, seeded: the same name, count and seed give the same rows. */
public final class SyntheticStreams {
    private SyntheticStreams() {
    }

    /** The generators by name. */
    public static final List<String> NAMES = List.of("identity");

    public static FeatureTable generate(String name, int count, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("--count is " + count + ", expected > 0");
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "identity" -> identity(count, seed);
            default -> throw new IllegalArgumentException("synthetic stream '" + name + "' is unknown, expected one of "
                    + NAMES);
        };
    }

    /** Scalars x drawn uniformly from [-1, 1], each with target x: the seed-004 problem (learn the identity). */
    public static FeatureTable identity(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] features = new float[count][1];
        double[][] targets = new double[count][1];
        for (int i = 0; i < count; i++) {
            float x = (float) (random.nextDouble() * 2 - 1);
            features[i][0] = x;
            targets[i][0] = x;
        }
        return new FeatureTable("synthetic identity (seed " + seed + ")", List.of("x"), features,
                FeatureTable.Target.NUMBER, null, targets, List.of(), 0);
    }
}
