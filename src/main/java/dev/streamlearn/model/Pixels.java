package dev.streamlearn.model;

/** An image reaches a model as its unsigned bytes scaled to [0, 1]: the one place that scaling is written. */
public final class Pixels {
    private static final float SCALE = 1f / 255f;

    private Pixels() {
    }

    /** One pixel of 0-255, scaled. */
    public static float scaled(int unsignedByte) {
        return unsignedByte * SCALE;
    }

    /**
     * Scales every byte of pixels into target from offset on.
     *
     * @return the sum of the unsigned pixel values
     */
    public static long scale(byte[] pixels, float[] target, int offset) {
        long sum = 0;
        for (int i = 0; i < pixels.length; i++) {
            int value = pixels[i] & 0xff;
            sum += value;
            target[offset + i] = value * SCALE;
        }
        return sum;
    }
}
