package dev.streamlearn.producer;

/**
 * What to send.
 *
 * @param limit send only the first limit samples of the file (file order, before shuffling); 0 = all
 * @param shuffle send each epoch in a seeded random order
 * @param seed seed of the shuffle; epoch e uses seed + e
 * @param epochs passes over the data, >= 1
 * @param rate samples per second, 0 = as fast as the broker takes them
 * @param startId position in the send order (counting across epochs) to resume a partial load from; without
 *     shuffling, in the first epoch, it is the first sample id sent; 0 = from the start
 */
public record ProduceOptions(int limit, boolean shuffle, long seed, int epochs, double rate, long startId) {

    public ProduceOptions {
        if (limit < 0) {
            throw new IllegalArgumentException("limit is " + limit + ", expected >= 0 (0 = all)");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs is " + epochs + ", expected >= 1");
        }
        if (rate < 0 || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("rate is " + rate + ", expected >= 0 samples/s (0 = unlimited)");
        }
        if (startId < 0) {
            throw new IllegalArgumentException("start id is " + startId + ", expected >= 0");
        }
    }

    public static ProduceOptions all() {
        return new ProduceOptions(0, false, 0, 1, 0, 0);
    }
}
