/**
 * Diagnosis: the rules that read training summaries and say what is wrong and what to change ({@link
 * dev.streamlearn.diagnosis.Catalogue}, each rule a {@link dev.streamlearn.diagnosis.Rule} record with its severity,
 * thresholds, persistence and texts), the stateful {@link dev.streamlearn.diagnosis.Diagnosis} that turns them into
 * alert transitions, and the seed {@link dev.streamlearn.diagnosis.Scenario}s of broken set-ups it must name. Used by
 * the learner (which raises alerts) and the monitor (which shows them); depends on the Avro records and the model's
 * configuration only, never on Kafka clients.
 */
package dev.streamlearn.diagnosis;
