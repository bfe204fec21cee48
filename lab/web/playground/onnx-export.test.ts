import { describe, expect, it } from 'vitest';
import { generateDataset } from './datasets.js';
import { onnxExportBlocker, onnxOfModelFile, onnxSignature, playgroundSpecOf } from './onnx-export.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { HIDDEN_ACTIVATIONS, LOSSES, SKIPS } from './spec.js';
import type { LayerSpec, NetworkSpec } from './spec.js';
import { PlaygroundModel } from './trainer.js';

const layer = (units: number, activation: string, dropout = 0): LayerSpec => ({ units, activation, dropout });
const classes = { mse: 2, bce: 2, softmax: 3 } as const;

describe('onnxExportBlocker(spec)', () => {
  // Widths 2, 2, 3: the first two layers get the skip connection, the third does not.
  const specs: NetworkSpec[] = HIDDEN_ACTIVATIONS.flatMap((activation) =>
    SKIPS.flatMap((skip) =>
      LOSSES.map((loss) => ({
        hidden: [layer(2, activation), layer(2, activation, 0.2), layer(3, activation)],
        // A highway layer cannot use PReLU (specProblems): those layers go without a skip.
        skip: skip === 'highway' && activation === 'prelu' ? 'none' : skip,
        loss,
        classes: classes[loss],
      })),
    ),
  );

  it(`is null for every network the playground builds (${HIDDEN_ACTIVATIONS.length} activations × ${SKIPS.length} skips × ${LOSSES.length} losses, with dropout)`, () => {
    for (const spec of specs) expect(onnxExportBlocker(spec), JSON.stringify(spec)).toBeNull();
  });

  it('names what is wrong with a network that cannot be built', () => {
    expect(onnxExportBlocker({ hidden: [layer(0, 'tanh')], skip: 'none', loss: 'bce', classes: 2 })).toMatch(/^the network cannot be built: layer 1: units must be/);
  });
});

describe('onnxSignature(spec)', () => {
  it('names the input features in order and what the output holds for each loss', () => {
    const spec = (extra: Partial<NetworkSpec>): NetworkSpec => ({ hidden: [layer(4, 'tanh')], skip: 'none', loss: 'bce', classes: 2, ...extra });
    expect(onnxSignature(spec({}))).toBe('input [batch, 2]: x₀, x₁; output [batch, 1]: the logit (P(class 1) = sigmoid(output))');
    expect(onnxSignature(spec({ features: ['x0sq', 'sin1', 'x0'], loss: 'mse' }))).toBe('input [batch, 3]: x₀², sin 2πx₁, x₀; output [batch, 1]: P(class 1)');
    expect(onnxSignature(spec({ loss: 'softmax', classes: 3 }))).toBe('input [batch, 2]: x₀, x₁; output [batch, 3]: logits (class probabilities = softmax(output))');
    expect(onnxSignature(spec({ loss: 'mse', classes: 1, task: 'regression' }))).toBe('input [batch, 2]: x₀, x₁; output [batch, 1]: the predicted value');
  });
});

describe('onnxOfModelFile(text)', () => {
  it('exports a playground model file and reads back the spec saved with it', () => {
    const spec: NetworkSpec = { features: ['x0', 'x1', 'x0x1'], hidden: [layer(3, 'relu')], skip: 'none', loss: 'bce', classes: 2 };
    const points = generateDataset({ name: 'xor', count: 20, noise: 0, classes: 2, testFraction: 0 }, 1);
    const { bytes, spec: saved } = onnxOfModelFile(new PlaygroundModel(spec, points, DEFAULT_SETTINGS, 1).save());
    expect(bytes.length).toBeGreaterThan(100);
    expect(saved).toEqual(spec);
  });
});

describe('playgroundSpecOf(config)', () => {
  it('is null for configs that are not a playground spec', () => {
    for (const config of [null, 3, {}, { lr: 0.5 }, { playground: null }, { playground: { hidden: 'none' } }, { playground: { hidden: [layer(9, 'tanh')], skip: 'none', loss: 'bce', classes: 2 } }]) {
      expect(playgroundSpecOf(config), JSON.stringify(config)).toBeNull();
    }
  });
});
