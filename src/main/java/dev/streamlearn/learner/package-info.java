/**
 * The learner: a Kafka Streams application whose single processor takes one SGD step per sample in
 * {@code process()}, keeps the model as Kafka state, publishes training summaries and sends refused records to the
 * dead-letter topic. The topology is thin: decoding and validation ({@code SampleValidator}), the per-record training
 * ({@code RecordTrainer}), every periodic output's cadence ({@code TrainingLoop}), the summary factory and the model
 * state each live in their own class; all math is in {@code dev.streamlearn.model}, the rules in
 * {@code dev.streamlearn.diagnosis}.
 */
package dev.streamlearn.learner;
