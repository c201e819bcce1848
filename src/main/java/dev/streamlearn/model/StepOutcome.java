package dev.streamlearn.model;

/**
 * What one online step did.
 *
 * @param loss the loss before the update
 * @param predicted the prediction before the update (prequential: the model had not seen the sample)
 * @param target the class the head trained towards
 * @param applied false when the loss or gradient was not finite and the parameters were left untouched
 */
public record StepOutcome(float loss, int predicted, int target, boolean applied) {
}
