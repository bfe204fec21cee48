/**
 * exportOnnx, verified rather than assumed: every layer type and random models, in float32 and
 * float64, exported, loaded in onnxruntime and run on random inputs; its outputs must match
 * forward's (in evaluation mode), and the file must keep ONNX's structural rules.
 */
import { describe, expect, it } from 'vitest';
import { Generator, exportOnnx, nn, randomNormal, ONNX_OPSET } from '../../packages/nnlab/src/index.js';
import type { DType } from '../../packages/nnlab/src/index.js';
import { decodeModel, relativeDifference, runInOnnxRuntime, structuralProblems } from './onnx-tools.js';
import { LAYER_CASES, RANDOM_SEEDS, TOLERANCE, bothOutputs, randomModel, randomizeParameters } from './cases.js';

const DTYPES: DType[] = ['float32', 'float64'];

const cases = [
  ...LAYER_CASES.map(([name, build]) => ({ name, build, seed: 7 })),
  ...RANDOM_SEEDS.map((seed) => ({ name: `random model, seed ${seed}`, build: randomModel, seed })),
].flatMap((c) => DTYPES.map((dtype) => ({ ...c, dtype })));

describe('exportOnnx(model) in onnxruntime', () => {
  it.each(cases)('$name, $dtype: outputs match forward (relative difference within tolerance) on inputs of scale 1 and 30', async ({ build, seed, dtype }) => {
    for (const scale of [1, 30]) {
      const rng = new Generator(seed);
      const model = build(rng, dtype);
      randomizeParameters(model, rng);
      const { nnlab, onnx } = await bothOutputs(model, rng, scale);
      expect(onnx.shape).toEqual(nnlab.shape);
      expect(relativeDifference(onnx, nnlab), `scale ${scale}`).toBeLessThanOrEqual(TOLERANCE[dtype]);
    }
  });

  it.each(cases)('$name, $dtype: the file keeps ONNX structural rules (opset declared, every value typed, names unique)', ({ build, seed, dtype }) => {
    const model = build(new Generator(seed), dtype);
    const decoded = decodeModel(exportOnnx(model));
    expect(structuralProblems(decoded, dtype)).toEqual([]);
    expect(decoded.opset_import).toEqual([{ domain: '', version: ONNX_OPSET }]);
  });

  it('writes the parameters bit for bit as initializers named as in the state dict', () => {
    for (const dtype of DTYPES) {
      const model = randomModel(new Generator(11), dtype);
      randomizeParameters(model, new Generator(12));
      const graph = decodeModel(exportOnnx(model)).graph as { initializer: { name: string; dims: number[]; raw_data: Uint8Array }[] };
      const written = new Map(graph.initializer.map((t) => [t.name, t]));
      for (const [name, p] of model.namedParameters()) {
        const t = written.get(name)!;
        expect(t.dims, name).toEqual(p.shape);
        const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
        const values = Array.from({ length: p.size }, (_, i) => (dtype === 'float64' ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true)));
        expect(values, name).toEqual(Array.from(p.data));
      }
    }
  });

  it('a model without parameters is float32 with a symbolic width, and runs on any width', async () => {
    const model = new nn.Sequential([new nn.ReLU(), new nn.Softmax()]);
    const bytes = exportOnnx(model);
    const input = (decodeModel(bytes).graph as { input: { type: { tensor_type: { elem_type: number; shape: unknown } } }[] }).input[0];
    expect(input.type.tensor_type).toEqual({ elem_type: 1, shape: { dim: [{ dim_param: 'batch' }, { dim_param: 'features' }] } });
    for (const width of [1, 6]) {
      const x = randomNormal([3, width], new Generator(width));
      expect(relativeDifference(await runInOnnxRuntime(bytes, x), model.forward(x))).toBeLessThanOrEqual(TOLERANCE.float32);
    }
  });
});
