/**
 * Reading IDX files (the MNIST format) and fetching the original MNIST files; reading a user's own rows from CSV and
 * JSON lines (with Jackson), and generating synthetic ones, into checked tables.
 */
package dev.streamlearn.data;
