package dev.streamlearn.model;

/**
 * Monitoring of an online step, outside the step itself: called around the optimiser's update of every step that was
 * applied (refused steps change nothing and are not observed). The network's layer buffers still hold that sample's
 * forward and backward pass when {@link #afterUpdate} runs.
 */
interface StepObserver {

    /** Before the optimiser changes the parameters. */
    default void beforeUpdate(Network network) {
    }

    /** After the update. */
    void afterUpdate(Network network, StepOutcome outcome);
}
