/**
 * Kafka plumbing shared by every service: topic names bundled with their serdes, Avro single-object serdes, topic
 * creation, and the in-process KRaft broker. Depends on Kafka clients and broker modules and on the generated Avro
 * classes; never on the model.
 */
package dev.streamlearn.kafka;
