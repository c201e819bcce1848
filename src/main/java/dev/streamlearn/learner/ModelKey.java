package dev.streamlearn.learner;

/**
 * The key of a learner's model versions on the models topic: its application id, or with one model per partition the
 * application id and the partition ({@code ID/p3}). An application id holds no '/', so the two never mix.
 *
 * @param learner the learner's application id
 * @param partition the training topic's partition whose model it is, or {@link #SINGLE} for a learner's one model
 */
public record ModelKey(String learner, int partition) {
    public static final int SINGLE = -1;
    private static final String PARTITION = "/p";

    /** Reads a key as {@link #text()} writes it. */
    public static ModelKey parse(String key) {
        int at = key.lastIndexOf(PARTITION);
        if (at > 0 && at + PARTITION.length() < key.length()
                && key.substring(at + PARTITION.length()).chars().allMatch(Character::isDigit)) {
            return new ModelKey(key.substring(0, at), Integer.parseInt(key.substring(at + PARTITION.length())));
        }
        return new ModelKey(key, SINGLE);
    }

    public String text() {
        return partition == SINGLE ? learner : learner + PARTITION + partition;
    }
}
