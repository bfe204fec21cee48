/**
 * The chapter's key equations for each experiment, as TeX for KaTeX, each with a line saying
 * what it is. Notation as in the chapter: x an input row, W a weight matrix, b a bias, σ the
 * sigmoid, y the output, t the target, η the learning rate, N the number of examples.
 */
import katex from 'katex';

export interface Equation {
  tex: string;
  /** What it is, in words; math inside it between $ signs, typeset inline ($\partial a^l$). */
  caption: string;
}

const sigmoid: Equation = { tex: String.raw`\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)`, caption: 'the sigmoid and its derivative' };
const squaredError: Equation = { tex: String.raw`E = \frac{1}{N} \sum_{n=1}^{N} (y_n - t_n)^2`, caption: 'the mean squared error over the training set' };
const gradientStep: Equation = { tex: String.raw`\theta \leftarrow \theta - \eta\, \frac{\partial E}{\partial \theta}`, caption: 'one epoch: a full-batch gradient-descent step on every weight and bias θ' };
const twoLayer: Equation = { tex: String.raw`h = \sigma(x W_1 + b_1), \qquad y = \sigma(h W_2 + b_2)`, caption: 'the two-layer network: a sigmoid hidden layer h, then the output' };
const binaryCrossEntropy: Equation = { tex: String.raw`E = -\,t \ln y - (1 - t) \ln(1 - y), \qquad \frac{\partial E}{\partial z} = y - t \quad (y = \sigma(z))`, caption: 'binary cross entropy and its gradient with respect to the logit z' };

/** The chapter's recurrence: every layer is a weighted sum of the previous layer's activations, then f. */
const recurrence: Equation = { tex: String.raw`z_i^l = b_i^l + \sum_j w_{ji}^l\, a_j^{l-1}, \qquad a_i^l = f^l\bigl(z_i^l\bigr), \qquad a^0 = x`, caption: 'the network as a recurrence over layers l (z: the net input, a: the activation)' };
const chainRule: Equation = {
  tex: String.raw`\frac{\partial E}{\partial a_j^{l-1}} = \sum_i \frac{\partial E}{\partial a_i^l}\, f'\bigl(z_i^l\bigr)\, w_{ji}^l`,
  caption: 'backpropagation: the gradient at a unit is the sum over the edges leaving it of (local derivative × gradient downstream)',
};
/** The same in backprop's notation, where the page names the loss L. */
const chainRuleL: Equation = { ...chainRule, tex: chainRule.tex.replace(/\\partial E/g, '\\partial L') };
const layerProduct: Equation = {
  tex: String.raw`\Bigl\lVert \frac{\partial E}{\partial W^1} \Bigr\rVert \;\propto\; \prod_{l=2}^{L} \bigl\lVert f'(z^l)\bigr\rVert\, \bigl\lVert W^l \bigr\rVert`,
  caption: 'the first layer’s gradient is a product of one factor per layer above it: below 1 it vanishes, above 1 it explodes',
};

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
  backprop: [
    recurrence,
    { tex: String.raw`\frac{\partial L}{\partial w_{ji}^l} = \frac{\partial L}{\partial a_i^l}\, f'\bigl(z_i^l\bigr)\, a_j^{l-1}`, caption: 'a weight’s gradient needs the activation feeding it, kept from the forward pass' },
    chainRuleL,
    { tex: String.raw`\frac{\partial L}{\partial \theta} \approx \frac{L(\theta + h) - L(\theta - h)}{2h}, \qquad \text{relative error} = \frac{\lvert g_{\text{backprop}} - g_{\text{numeric}} \rvert}{\max(\lvert g_{\text{backprop}}\rvert, \lvert g_{\text{numeric}}\rvert)}`, caption: 'the numeric check: central differences, one parameter at a time' },
  ],
  'vanishing-gradients': [
    layerProduct,
    { tex: String.raw`\sigma'(z) = \sigma(z)\bigl(1 - \sigma(z)\bigr) \le \tfrac14, \qquad \tanh'(z) \le 1, \qquad \operatorname{ReLU}'(z) \in \{0, 1\}`, caption: 'why sigmoid chains vanish fastest: each layer multiplies the gradient by at most ¼' },
  ],
  'exploding-gradients': [
    layerProduct,
    { tex: String.raw`g \leftarrow g \cdot \min\Bigl(1, \frac{c}{\lVert g \rVert}\Bigr)`, caption: 'clipping by global norm: one factor for all gradients, so the direction is kept' },
    { tex: String.raw`g_k \leftarrow \min\bigl(c, \max(-c, g_k)\bigr)`, caption: 'clipping by value: each entry on its own, which can turn the direction' },
  ],
  'skip-connections': [
    { tex: String.raw`a^{l} = a^{l-1} + f\bigl(a^{l-1} W^l + b^l\bigr)`, caption: String.raw`a residual connection: the layer adds to its input, so $\partial a^l / \partial a^{l-1} = I + \dots$` },
    { tex: String.raw`g^l = \sigma\bigl(a^{l-1} W_g^l + b_g^l\bigr), \qquad a^{l} = g^l \odot f\bigl(a^{l-1} W^l + b^l\bigr) + \bigl(1 - g^l\bigr) \odot a^{l-1}`, caption: 'a highway connection: a learned sigmoid gate g decides how much of the input passes straight through' },
  ],
  'leaky-relu': [
    { tex: String.raw`\operatorname{ReLU}(z) = \max(0, z), \qquad \operatorname{leaky}(z) = \max(a\,z, z), \qquad \operatorname{PReLU}(z) = \max(p\,z, z)`, caption: 'ReLU, leaky ReLU (a fixed slope a below 0: the chapter’s 0.01, 0.3 here) and PReLU (a slope p per unit, learned by gradient descent)' },
    { tex: String.raw`\text{dead unit:}\quad z_i(x_n) \le 0 \;\; \text{for every } n \;\Rightarrow\; \frac{\partial E}{\partial w_{ji}} = 0`, caption: 'a ReLU unit that is off for every example gets no gradient, so nothing can switch it back on' },
  ],
  'annealing-vs-descent': [
    gradientStep,
    { tex: String.raw`\theta' = \theta + \varepsilon, \quad \varepsilon \sim \mathcal N(0, s^2), \qquad P(\text{accept}) = \min\bigl(1, e^{-(E(\theta') - E(\theta))/T}\bigr)`, caption: 'simulated annealing: a random proposal, always taken when better, sometimes when worse' },
    { tex: String.raw`T_k = T_0 \left(\frac{T_{\text{end}}}{T_0}\right)^{k / K}`, caption: 'a geometric cooling schedule over the K loss evaluations of the budget' },
  ],
  interpolation: [
    { tex: String.raw`\theta(\alpha) = (1 - \alpha)\, \theta_0 + \alpha\, \theta_1, \qquad \alpha \in [-0.25, 1.25]`, caption: 'the straight line from the initial parameters θ₀ (α = 0) to the trained ones θ₁ (α = 1)' },
    { tex: String.raw`E\bigl(\theta(\alpha)\bigr) \text{ non-increasing on } [0, 1]`, caption: 'the cited result: along this line the loss keeps falling, with no bump to climb' },
  ],
};

/**
 * captionHtml(caption) is the caption as HTML: its text escaped, each $…$ part typeset inline by
 * KaTeX (with MathML); bad TeX throws.
 */
export function captionHtml(caption: string): string {
  return caption
    .split('$')
    .map((part, i) => (i % 2 === 1 ? katex.renderToString(part, { displayMode: false, output: 'htmlAndMathml', throwOnError: true }) : escapeHtml(part)))
    .join('');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** equationHtml(tex) is the equation as KaTeX HTML, with MathML for screen readers; bad TeX throws. */
export function equationHtml(tex: string): string {
  return katex.renderToString(tex, { displayMode: true, output: 'htmlAndMathml', throwOnError: true });
}
