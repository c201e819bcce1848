package dev.streamlearn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The textbook network written op by op with ND4J arrays, in float or double: an independent implementation the
 * fast path must agree with. Slow on purpose (every line is one ND4J op) and never used outside tests.
 */
final class ReferenceNetwork {
    private final ModelConfig config;
    private final DataType type;
    final List<INDArray> parameters = new ArrayList<>();
    private final List<INDArray> stateA = new ArrayList<>();
    private final List<INDArray> stateB = new ArrayList<>();
    private final boolean[] inputMajor;
    private long updates;

    /**
     * Copies the fast network's current parameters into the given type, every weight matrix as [out, in] (the fast
     * path's input-major first layer is transposed) and every bias as a column.
     */
    ReferenceNetwork(Network fast, DataType type) {
        this.config = fast.config();
        this.type = type;
        this.inputMajor = new boolean[fast.parameters().size()];
        for (int t = 0; t < fast.parameters().size(); t++) {
            FloatTensor parameter = fast.parameters().get(t);
            int[] shape = parameter.shape();
            inputMajor[t] = t % 2 == 0 && fast.weightsInputMajor(t / 2);
            INDArray copy = Nd4j.createFromArray(parameter.toArray()).castTo(type);
            INDArray held = shape.length == 2 ? copy.reshape(shape[0], shape[1]) : copy.reshape(shape[0], 1);
            parameters.add(inputMajor[t] ? held.transpose().dup() : held);
            stateA.add(Nd4j.zeros(type, parameters.get(parameters.size() - 1).shape()));
            stateB.add(Nd4j.zeros(type, parameters.get(parameters.size() - 1).shape()));
        }
    }

    /** Tensor t of a reference list laid out as the fast path holds it, for element-by-element comparison. */
    INDArray inFastLayout(List<INDArray> tensors, int t) {
        return inputMajor[t] ? tensors.get(t).transpose().dup() : tensors.get(t);
    }

    private int layers() {
        return parameters.size() / 2;
    }

    private INDArray activate(INDArray z) {
        switch (config.activation()) {
            case IDENTITY:
                return z.dup();
            case SIGMOID:
                return Transforms.sigmoid(z, true);
            case TANH:
                return Transforms.tanh(z, true);
            case RELU:
                return Transforms.relu(z, true);
            case LEAKY_RELU:
                return Transforms.leakyRelu(z, Activation.LEAKY_SLOPE, true);
            default:
                throw new IllegalStateException();
        }
    }

    private INDArray derivative(INDArray z, INDArray a) {
        switch (config.activation()) {
            case IDENTITY:
                return Nd4j.onesLike(z);
            case SIGMOID:
                return a.mul(a.rsub(1.0));
            case TANH:
                return a.mul(a).rsubi(1.0);
            case RELU:
                return z.gt(0.0).castTo(type);
            case LEAKY_RELU:
                INDArray positive = z.gt(0.0).castTo(type);
                return positive.add(positive.rsub(1.0).mul(Activation.LEAKY_SLOPE));
            default:
                throw new IllegalStateException();
        }
    }

    /** Column vector of the output's pre-activations, with every layer's (z, a) collected along the way. */
    private INDArray forward(INDArray x, List<INDArray> zs, List<INDArray> as) {
        INDArray a = x;
        as.add(a);
        for (int l = 0; l < layers(); l++) {
            INDArray z = parameters.get(2 * l).mmul(a).addi(parameters.get(2 * l + 1));
            zs.add(z);
            a = l == layers() - 1 ? z : activate(z);
            as.add(a);
        }
        return zs.get(zs.size() - 1);
    }

    private INDArray column(float[] x) {
        return Nd4j.createFromArray(x).castTo(type).reshape(x.length, 1);
    }

    private double targetOf(int label) {
        return config.loss().isBinary() ? (label == config.positiveClass() ? 1 : 0) : label;
    }

    private INDArray oneHot(int label, long n) {
        INDArray y = Nd4j.zeros(type, n, 1);
        if (n == 1) {
            y.putScalar(0, targetOf(label));
        } else {
            y.putScalar(label, 1.0);
        }
        return y;
    }

    /** The numbers a numeric head learns for a label in these checks: a fixed vector, so tests can pass labels. */
    static float[] numericTargets(int label, int outputs) {
        float[] targets = new float[outputs];
        for (int i = 0; i < outputs; i++) {
            targets[i] = 0.5f * (label + 1) - 0.3f * i;
        }
        return targets;
    }

    /** The estimate minus the target, per output, for a numeric head. */
    private INDArray errors(INDArray z, int label) {
        float[] targets = numericTargets(label, (int) z.length());
        INDArray t = Nd4j.create(targets).castTo(z.dataType()).reshape(z.length(), 1);
        return z.mul(config.outputScale()).sub(t);
    }

    double loss(float[] x, int label) {
        INDArray z = forward(column(x), new ArrayList<>(), new ArrayList<>());
        return lossOf(z, label);
    }

    private double lossOf(INDArray z, int label) {
        INDArray y = oneHot(label, z.length());
        switch (config.loss()) {
            case SOFTMAX_CROSS_ENTROPY: {
                double max = z.maxNumber().doubleValue();
                double logSumExp = max + Math.log(Transforms.exp(z.sub(max), true).sumNumber().doubleValue());
                return logSumExp - z.getDouble(label);
            }
            case SIGMOID_CROSS_ENTROPY:
                return bce(z.getDouble(0), targetOf(label));
            case DOUBLE_SIGMOID:
                return bce(1.0 / (1.0 + Math.exp(-z.getDouble(0))), targetOf(label));
            case SOFTMAX_MSE:
                return Transforms.pow(Transforms.softmax(z.reshape(1, z.length()), true).reshape(z.length(), 1)
                        .sub(y), 2).meanNumber().doubleValue();
            case SIGMOID_MSE:
                return Transforms.pow(Transforms.sigmoid(z, true).sub(y), 2).meanNumber().doubleValue();
            case IDENTITY_MSE:
                return Transforms.pow(z.sub(y), 2).meanNumber().doubleValue();
            case MSE:
                return Transforms.pow(errors(z, label), 2).meanNumber().doubleValue();
            case HUBER: {
                INDArray e = errors(z, label);
                double delta = config.huberDelta();
                double sum = 0;
                for (int i = 0; i < e.length(); i++) {
                    double a = Math.abs(e.getDouble(i));
                    sum += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
                }
                return sum / e.length();
            }
            default:
                throw new IllegalStateException();
        }
    }

    private static double bce(double x, double y) {
        return Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** dL/dz at the output, op by op from the textbook formulas. */
    private INDArray outputDelta(INDArray z, int label) {
        INDArray y = oneHot(label, z.length());
        long n = z.length();
        switch (config.loss()) {
            case SOFTMAX_CROSS_ENTROPY:
                return Transforms.softmax(z.reshape(1, n), true).reshape(n, 1).sub(y);
            case SIGMOID_CROSS_ENTROPY:
                return Transforms.sigmoid(z, true).sub(y);
            case DOUBLE_SIGMOID: {
                INDArray s = Transforms.sigmoid(z, true);
                return Transforms.sigmoid(s, true).sub(y).mul(s.mul(s.rsub(1.0)));
            }
            case SOFTMAX_MSE: {
                INDArray p = Transforms.softmax(z.reshape(1, n), true).reshape(n, 1);
                INDArray g = p.sub(y).mul(2.0 / n);
                // Jacobian of softmax: diag(p) - p p^T.
                INDArray jacobian = Nd4j.diag(p.reshape(n)).sub(p.mmul(p.transpose()));
                return jacobian.mmul(g);
            }
            case SIGMOID_MSE: {
                INDArray a = Transforms.sigmoid(z, true);
                return a.sub(y).mul(2.0 / n).mul(a.mul(a.rsub(1.0)));
            }
            case IDENTITY_MSE:
                return z.sub(y).mul(2.0 / n);
            case MSE:
                return errors(z, label).mul(2.0 * config.outputScale() / n);
            case HUBER: {
                double delta = config.huberDelta();
                INDArray e = errors(z, label);
                INDArray clipped = Transforms.min(Transforms.max(e, -delta, true), delta, true);
                return clipped.mul(config.outputScale() / n);
            }
            default:
                throw new IllegalStateException();
        }
    }

    /** Gradients in parameter order, by back-propagation written op by op. */
    List<INDArray> gradients(float[] x, int label) {
        List<INDArray> zs = new ArrayList<>();
        List<INDArray> as = new ArrayList<>();
        INDArray z = forward(column(x), zs, as);
        INDArray delta = outputDelta(z, label);
        INDArray[] grads = new INDArray[parameters.size()];
        for (int l = layers() - 1; l >= 0; l--) {
            grads[2 * l] = delta.mmul(as.get(l).transpose());
            grads[2 * l + 1] = delta.dup();
            if (l > 0) {
                delta = parameters.get(2 * l).transpose().mmul(delta).muli(derivative(zs.get(l - 1), as.get(l)));
            }
        }
        return List.of(grads);
    }

    /** One training step with the configured optimiser, op by op. */
    void step(float[] x, int label) {
        List<INDArray> grads = gradients(x, label);
        double lr = config.learningRate();
        String optimizer = config.optimizer().name();
        Map<String, Double> h = config.optimizer().hyperparameters();
        updates++;
        for (int i = 0; i < parameters.size(); i++) {
            INDArray p = parameters.get(i);
            INDArray g = grads.get(i);
            INDArray a = stateA.get(i);
            INDArray b = stateB.get(i);
            switch (optimizer) {
                case "sgd":
                    p.subi(g.mul(lr));
                    break;
                case "momentum":
                    a.muli(h.get("momentum")).subi(g.mul(lr));
                    p.addi(a);
                    break;
                case "nesterov": {
                    INDArray previous = a.dup();
                    a.muli(h.get("momentum")).subi(g.mul(lr));
                    p.addi(previous.mul(-h.get("momentum"))).addi(a.mul(1 + h.get("momentum")));
                    break;
                }
                case "adagrad":
                    a.addi(g.mul(g));
                    p.subi(g.mul(lr).divi(Transforms.sqrt(a, true).addi(h.get("epsilon"))));
                    break;
                case "rmsprop":
                    a.muli(h.get("rho")).addi(g.mul(g).muli(1 - h.get("rho")));
                    p.subi(g.mul(lr).divi(Transforms.sqrt(a, true).addi(h.get("epsilon"))));
                    break;
                case "adam":
                case "adamw": {
                    a.muli(h.get("beta1")).addi(g.mul(1 - h.get("beta1")));
                    b.muli(h.get("beta2")).addi(g.mul(g).muli(1 - h.get("beta2")));
                    INDArray mHat = a.div(1 - Math.pow(h.get("beta1"), updates));
                    INDArray vHat = b.div(1 - Math.pow(h.get("beta2"), updates));
                    INDArray decay = optimizer.equals("adamw") ? p.mul(lr * h.get("weight-decay"))
                            : Nd4j.zerosLike(p);
                    p.subi(mHat.muli(lr).divi(Transforms.sqrt(vHat, true).addi(h.get("epsilon")))).subi(decay);
                    break;
                }
                default:
                    throw new IllegalStateException(optimizer);
            }
        }
    }
}
