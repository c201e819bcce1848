/**
 * Late labels: features now, their label later, joined by key. A Kafka Streams windowed stream-stream join writes
 * each labelled record to the (one-partition) training topic, so the learner's order is the join's output order and
 * replay from the training topic stays bitwise; features whose label does not arrive in time are counted and can be
 * kept. Depends on {@code kafka} and {@code learner} (dead letters, input formats).
 */
package dev.streamlearn.join;
