/**
 * Serving: following a learner's model versions on its models topic, swapping each in atomically, and answering
 * predictions over HTTP. Depends on {@code kafka}, {@code learner} (to read a version) and {@code model}.
 */
package dev.streamlearn.serving;
