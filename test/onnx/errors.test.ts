/**
 * What exportOnnx refuses, and how: one OnnxExportError listing every layer (or mismatch) in the
 * way, each named by its path in the model, before any byte is written.
 */
import { describe, expect, it } from 'vitest';
import { Generator, OnnxExportError, defineElementwise, exportOnnx, nn } from '../../packages/nnlab/src/index.js';
import type { Tensor } from '../../packages/nnlab/src/index.js';
import { messageOf } from '../helpers.js';

defineElementwise<'x'>({
  name: 'softsign',
  inputs: ['x'],
  forward: (x: number) => x / (1 + Math.abs(x)),
  grad: { x: (g: number, x: number) => g / ((1 + Math.abs(x)) * (1 + Math.abs(x))) },
  activation: { range: [-1, 1] },
});

/** A layer of the user's own: its arithmetic is not in nnlab's table. */
class Doubling extends nn.Module {
  readonly kind = 'doubling';
  forward(x: Tensor): Tensor {
    return x.mul(2);
  }
}

/** A library layer whose forward the user replaced: not what the library's ONNX form computes. */
class ClippedDense extends nn.Dense {
  override forward(x: Tensor): Tensor {
    return super.forward(x).clamp(-1, 1);
  }
}

const rng = new Generator(1);
const EXPORTABLE = 'Sequential, Dense, Residual, Highway, Activation, LeakyReLU, ELU, Softmax, PReLU, Dropout';

describe('exportOnnx(model) refuses what ONNX cannot compute as nnlab does', () => {
  it('names every layer it cannot export, by path and class, in one OnnxExportError', () => {
    const model = new nn.Sequential({
      hidden: new nn.Dense(2, 3, { rng }),
      double: new Doubling(),
      block: new nn.Residual(new ClippedDense(3, 3, { rng })),
      out: new nn.Dense(3, 1, { activation: 'softsign', rng }),
    });
    expect(messageOf(() => exportOnnx(model))).toBe(
      [
        'exportOnnx: cannot export sequential: 3 problems:',
        `  - doubling 'double' (a Doubling) has no ONNX form: exportOnnx knows nnlab's ${EXPORTABLE}`,
        `  - dense 'block.body' (a ClippedDense) has no ONNX form: exportOnnx knows nnlab's ${EXPORTABLE}`,
        "  - dense 'out': activation 'softsign' (an op of your own) has no ONNX form; use one of nnlab's",
      ].join('\n'),
    );
  });

  it('throws an OnnxExportError whose problems list the reasons one by one', () => {
    let caught: unknown;
    try {
      exportOnnx(new nn.Sequential([new nn.Activation('softsign'), new Doubling()]));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OnnxExportError);
    expect((caught as OnnxExportError).problems).toHaveLength(2);
  });

  it('refuses parameters that mix float32 and float64, naming one of each', () => {
    const model = new nn.Sequential({ a: new nn.Dense(2, 2, { rng }), b: new nn.Dense(2, 1, { rng, dtype: 'float64' }) });
    expect(messageOf(() => exportOnnx(model))).toContain("its parameters mix float32 ('a.weight') and float64 ('b.weight'); an ONNX model has one input type");
  });

  it('refuses layers whose widths do not chain, naming the layer and both widths', () => {
    const model = new nn.Sequential({ a: new nn.Dense(2, 3, { rng }), b: new nn.Dense(4, 1, { rng }) });
    expect(messageOf(() => exportOnnx(model))).toContain("dense 'b': expects input width 4, but its input has width 3");
    const residual = new nn.Residual(new nn.Dense(3, 2, { rng }));
    expect(messageOf(() => exportOnnx(residual))).toContain('residual: its body maps width 3 to 2; x + f(x) needs the same width');
  });

  it('refuses a softmax axis that the input [batch, width] does not have', () => {
    const model = new nn.Sequential([new nn.Dense(2, 2, { rng }), new nn.Softmax(2)]);
    expect(messageOf(() => exportOnnx(model))).toContain("softmax '1': axis 2 does not exist in the model's input [batch, width]");
  });
});
