/**
 * Monitoring: consumers of the summary topic (read_committed) and the ways of showing what they read. Depends on
 * {@code kafka} and the generated Avro classes; never on the model.
 */
package dev.streamlearn.monitor;
