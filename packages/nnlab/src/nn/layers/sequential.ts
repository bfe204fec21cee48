/** Sequential: layers applied in order. Named layers (`{ hidden, output }`) give parameters like `hidden.weight`. */
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { registerModuleType } from '../config.js';
import type { ModuleConfig } from '../config.js';

/** Layers applied in order; named layers (`{ hidden, output }`) give parameters like `hidden.weight`. */
export class Sequential extends Module {
  readonly kind = 'sequential';
  private readonly layers: [string, Module][];

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
    let h = x;
    for (const [, layer] of this.layers) h = layer.forward(h);
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
