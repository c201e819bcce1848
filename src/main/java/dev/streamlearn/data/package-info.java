/**
 * Reading IDX files (the MNIST format) and fetching the original MNIST files. Depends on the JDK only.
 */
package dev.streamlearn.data;
