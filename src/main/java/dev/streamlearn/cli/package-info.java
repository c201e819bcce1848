/**
 * The {@code streamlearn} command line (picocli): one subcommand per service plus {@code run}, which wires them
 * together. Commands only parse options and wire the other packages; they hold no training or Kafka logic.
 */
package dev.streamlearn.cli;
