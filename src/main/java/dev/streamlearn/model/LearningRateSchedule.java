package dev.streamlearn.model;

import java.util.Locale;

/**
 * The learning rate as a function of the update number t (0 for the first update). Flag text: {@code constant},
 * {@code exponential:RATE:STEPS} (lr rate^(t/steps)), {@code step:GAMMA:EVERY} (lr gamma^floor(t/every)),
 * {@code inverse-time:DECAY} (lr / (1 + decay t)).
 */
public sealed interface LearningRateSchedule {

    double rate(double baseRate, long t);

    String spec();

    record Constant() implements LearningRateSchedule {
        @Override
        public double rate(double baseRate, long t) {
            return baseRate;
        }

        @Override
        public String spec() {
            return "constant";
        }
    }

    record Exponential(double decayRate, long decaySteps) implements LearningRateSchedule {
        public Exponential {
            if (!(decayRate > 0 && decayRate <= 1)) {
                throw new IllegalArgumentException("exponential decay rate is " + decayRate + ", expected (0, 1]");
            }
            if (decaySteps <= 0) {
                throw new IllegalArgumentException("exponential decay steps is " + decaySteps + ", expected > 0");
            }
        }

        @Override
        public double rate(double baseRate, long t) {
            return baseRate * Math.pow(decayRate, (double) t / decaySteps);
        }

        @Override
        public String spec() {
            return "exponential:" + decayRate + ":" + decaySteps;
        }
    }

    record Step(double gamma, long every) implements LearningRateSchedule {
        public Step {
            if (!(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("step gamma is " + gamma + ", expected (0, 1]");
            }
            if (every <= 0) {
                throw new IllegalArgumentException("step interval is " + every + ", expected > 0");
            }
        }

        @Override
        public double rate(double baseRate, long t) {
            return baseRate * Math.pow(gamma, Math.floorDiv(t, every));
        }

        @Override
        public String spec() {
            return "step:" + gamma + ":" + every;
        }
    }

    record InverseTime(double decay) implements LearningRateSchedule {
        public InverseTime {
            Hyperparameters.nonNegative("inverse-time decay", decay);
        }

        @Override
        public double rate(double baseRate, long t) {
            return baseRate / (1.0 + decay * t);
        }

        @Override
        public String spec() {
            return "inverse-time:" + decay;
        }
    }

    public static LearningRateSchedule parse(String spec) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            switch (parts[0]) {
                case "constant":
                    if (parts.length == 1) {
                        return new Constant();
                    }
                    break;
                case "exponential":
                    if (parts.length == 3) {
                        return new Exponential(Double.parseDouble(parts[1]), Long.parseLong(parts[2]));
                    }
                    break;
                case "step":
                    if (parts.length == 3) {
                        return new Step(Double.parseDouble(parts[1]), Long.parseLong(parts[2]));
                    }
                    break;
                case "inverse-time":
                    if (parts.length == 2) {
                        return new InverseTime(Double.parseDouble(parts[1]));
                    }
                    break;
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad schedule '" + spec + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("bad schedule '" + spec + "', expected constant, exponential:RATE:STEPS, "
                + "step:GAMMA:EVERY or inverse-time:DECAY");
    }
}
