/**
 * The chapter's key equations for each experiment, as TeX for KaTeX, each with a line saying
 * what it is. Notation as in the chapter: x an input row, W a weight matrix, b a bias, σ the
 * sigmoid, y the output, t the target, η the learning rate, N the number of examples.
 */
import katex from 'katex';

export interface Equation {
  tex: string;
  caption: string;
}

const sigmoid: Equation = { tex: String.raw`\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)`, caption: 'the sigmoid and its derivative' };
const squaredError: Equation = { tex: String.raw`E = \frac{1}{N} \sum_{n=1}^{N} (y_n - t_n)^2`, caption: 'the mean squared error over the training set' };
const gradientStep: Equation = { tex: String.raw`\theta \leftarrow \theta - \eta\, \frac{\partial E}{\partial \theta}`, caption: 'one epoch: a full-batch gradient-descent step on every weight and bias θ' };
const twoLayer: Equation = { tex: String.raw`h = \sigma(x W_1 + b_1), \qquad y = \sigma(h W_2 + b_2)`, caption: 'the two-layer network: a sigmoid hidden layer h, then the output' };
const binaryCrossEntropy: Equation = { tex: String.raw`E = -\,t \ln y - (1 - t) \ln(1 - y), \qquad \frac{\partial E}{\partial z} = y - t \quad (y = \sigma(z))`, caption: 'binary cross entropy and its gradient with respect to the logit z' };

export const EQUATIONS: Readonly<Record<string, readonly Equation[]>> = {
  activations: [
    sigmoid,
    { tex: String.raw`\tanh'(x) = 1 - \tanh^2(x), \qquad \operatorname{ReLU}(x) = \max(0, x)`, caption: 'tanh’s derivative, and ReLU' },
    { tex: String.raw`f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}`, caption: 'leaky ReLU (α fixed) and PReLU (α learned)' },
    { tex: String.raw`\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}} = \frac{e^{z_i - c}}{\sum_j e^{z_j - c}}`, caption: 'softmax ignores a constant c subtracted from every logit' },
  ],
  'logistic-regression': [
    { tex: String.raw`y = \sigma(w \cdot x + b)`, caption: 'one sigmoid unit' },
    { tex: String.raw`w \cdot x + b = 0`, caption: 'its decision line, where y = 0.5 (dashed on the heat map)' },
    squaredError,
    gradientStep,
  ],
  'two-layer': [twoLayer, squaredError, gradientStep],
  dropout: [
    { tex: String.raw`\tilde h_j = \frac{m_j\, h_j}{1 - p}, \qquad m_j \sim \operatorname{Bernoulli}(1 - p)`, caption: 'dropout with rate p during a training step: each hidden unit kept with probability 1 − p, survivors scaled up' },
    { tex: String.raw`\mathbb{E}[\tilde h_j] = h_j`, caption: 'so the expected activation is unchanged, and nothing is rescaled when dropout is off' },
    squaredError,
  ],
  bce: [
    { tex: String.raw`E = (y - t)^2, \qquad \frac{\partial E}{\partial z} = 2\,(y - t)\, y\,(1 - y)`, caption: 'squared error on y = σ(z): the y(1 − y) factor vanishes when the sigmoid saturates' },
    binaryCrossEntropy,
  ],
  'bce-logits': [
    binaryCrossEntropy,
    { tex: String.raw`E = \max(z, 0) - z\,t + \ln\bigl(1 + e^{-|z|}\bigr)`, caption: 'the same loss written with the logit z: no ln 0, no overflow' },
  ],
  categorical: [
    { tex: String.raw`p_k = \operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_j e^{z_j}}`, caption: 'four logits become four probabilities that sum to 1' },
    { tex: String.raw`E = -\sum_k t_k \ln p_k = -\ln p_c, \qquad \frac{\partial E}{\partial z_k} = p_k - t_k`, caption: 'categorical cross entropy with a one-hot target t (class c), and its gradient' },
  ],
};

/** equationHtml(tex) is the equation as KaTeX HTML, with MathML for screen readers; bad TeX throws. */
export function equationHtml(tex: string): string {
  return katex.renderToString(tex, { displayMode: true, output: 'htmlAndMathml', throwOnError: true });
}
