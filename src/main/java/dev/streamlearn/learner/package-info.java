/**
 * The learner: a Kafka Streams application whose single processor takes one SGD step per sample (on a training
 * thread it feeds), keeps the model as Kafka state, publishes training summaries and sends refused records to the
 * dead-letter topic. The topology is thin: decoding and validation, the per-record training, the pipeline to the
 * training thread, the summary factory and the model state each live in their own class, and all math is in
 * {@code dev.streamlearn.model}.
 */
package dev.streamlearn.learner;
