/**
 * Architectures as plain JSON: each built-in layer describes itself with `toConfig()` and is
 * rebuilt by the builder registered under its `type`. Saved model files store this tree.
 */
import type { Generator } from '../random/generator.js';
import type { DType } from '../tensor/dtype.js';
import type { Module } from './module.js';

/** Any value JSON can hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A layer's architecture as plain JSON (`{ type: 'dense', inFeatures: 2, … }`), as {@link Module.toConfig} gives it. */
export interface ModuleConfig {
  /** The layer type, as registered with {@link registerModuleType}. */
  type: string;
  [option: string]: JsonValue;
}

/** What a layer type's builder receives besides its config. */
export interface BuildContext {
  /** The generator for layers that draw at run time (dropout masks). */
  rng?: Generator;
  /** The parameters' dtype. */
  dtype: DType;
  /** Rebuilds a child from its config (for containers). */
  build(config: ModuleConfig): Module;
}

type Builder = (config: ModuleConfig, context: BuildContext) => Module;

const builders = new Map<string, Builder>();

/** Registers how to rebuild a layer type from its config. */
export function registerModuleType(type: string, builder: Builder): void {
  builders.set(type, builder);
}

/** The layer types {@link moduleFromConfig} can build. */
export function moduleTypes(): string[] {
  return [...builders.keys()];
}

/**
 * Builds a module tree from its config. Parameters get placeholder values (zeros or the layer's
 * constant initialisers): a saved file's weights are loaded over them.
 */
export function moduleFromConfig(config: ModuleConfig, options: { rng?: Generator; dtype?: DType } = {}): Module {
  const context: BuildContext = {
    rng: options.rng,
    dtype: options.dtype ?? 'float32',
    build(child) {
      if (child === null || typeof child !== 'object' || Array.isArray(child) || typeof child.type !== 'string') {
        throw new Error(`moduleFromConfig: a layer config must be an object with a string 'type', got ${JSON.stringify(child)}`);
      }
      const builder = builders.get(child.type);
      if (builder === undefined) {
        throw new Error(`moduleFromConfig: unknown layer type '${child.type}' (known: ${moduleTypes().join(', ')})`);
      }
      return builder(child, context);
    },
  };
  return context.build(config);
}
