package dev.streamlearn.learner;

/**
 * One record of the training topic as it was read: everything the learner needs to treat it again exactly as the
 * first time, and to say in a dead letter which record it was. Handed over to training, re-read by catch-up.
 */
public record InputRecord(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
}
