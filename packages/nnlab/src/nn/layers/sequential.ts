/** Sequential: layers applied in order. Named layers (`{ hidden, output }`) give parameters like `hidden.weight`. */
import type { Tensor } from '../../tensor/tensor.js';
import { isGradEnabled } from '../../autograd/mode.js';
import { Module } from '../module.js';
import { denseRunLength, forwardDenseRun } from '../dense-chain.js';
import { registerModuleType } from '../config.js';
import type { ModuleConfig } from '../config.js';

/** Layers applied in order; named layers (`{ hidden, output }`) give parameters like `hidden.weight`. */
export class Sequential extends Module {
  readonly kind = 'sequential';
  private readonly layers: [string, Module][];
  private readonly modules: Module[];

  /** An array names layers '0', '1', …; an object names them by key. */
  constructor(layers: readonly Module[] | Readonly<Record<string, Module>>) {
    super();
    const entries = Array.isArray(layers) ? layers.map((layer, i): [string, Module] => [String(i), layer]) : Object.entries(layers);
    entries.forEach(([key, layer]) => {
      if (!(layer instanceof Module)) throw new Error(`sequential: layer '${key}' is not a Module`);
      if (key.includes('.')) throw new Error(`sequential: layer name '${key}' must not contain '.' (dots separate path segments)`);
      if (layer.name === '') layer.name = key;
    });
    this.layers = entries;
    this.modules = entries.map(([, layer]) => layer);
  }

  override namedChildren(): [string, Module][] {
    return [...this.layers];
  }

  /** The layer with this name (or index). */
  get(name: string | number): Module {
    const found = this.layers.find(([key]) => key === String(name));
    if (found === undefined) throw new Error(`sequential: no layer '${name}' (layers: ${this.layers.map(([k]) => k).join(', ')})`);
    return found[1];
  }

  /** The number of layers. */
  get length(): number {
    return this.layers.length;
  }

  forward(x: Tensor): Tensor {
    this.expectInput(x);
    // Without the tape, a run of dense layers keeps its large intermediates in the kernels'
    // memory (see dense-chain.ts): the same numbers, without copying them out and back in.
    const chain = !isGradEnabled();
    let h = x;
    for (let i = 0; i < this.modules.length; ) {
      const run = chain ? denseRunLength(this.modules, i, h) : 0;
      if (run > 0) {
        h = forwardDenseRun(this.modules, i, run, h);
        i += run;
      } else h = this.modules[i++].forward(h);
    }
    return h;
  }

  override toConfig(): ModuleConfig | null {
    const layers: { name: string; config: ModuleConfig }[] = [];
    for (const [name, layer] of this.layers) {
      const config = layer.toConfig();
      if (config === null) return null;
      layers.push({ name, config });
    }
    return { type: 'sequential', layers };
  }
}

registerModuleType('sequential', (config, context) => {
  const layers = config.layers;
  if (!Array.isArray(layers)) throw new Error("sequential: config needs a 'layers' array");
  const entries = layers.map((entry, i): [string, Module] => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || typeof entry.name !== 'string') {
      throw new Error(`sequential: layers[${i}] needs a name and a config`);
    }
    return [entry.name, context.build(entry.config as ModuleConfig)];
  });
  return new Sequential(Object.fromEntries(entries));
});
