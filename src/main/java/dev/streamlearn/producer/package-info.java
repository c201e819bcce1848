/**
 * The producer: streams an MNIST-format split into the sample topic as Avro records keyed by sample id, with
 * limits, seeded shuffling, epochs and a rate limit. Depends on {@code data} and {@code kafka}.
 */
package dev.streamlearn.producer;
