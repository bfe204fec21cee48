/**
 * Module: the base of every layer and model. Like PyTorch's nn.Module, a module's parameters
 * and sub-modules are simply its fields; `namedParameters()` finds them and names them by
 * their dotted path (`hidden.weight`), which is what optimisers, state dicts and saved files use.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { describeValue, expectTensor } from '../tensor/arguments.js';
import type { ModuleConfig } from './config.js';

/**
 * The base of every layer and model (as PyTorch's nn.Module): parameters and sub-modules are
 * its fields, named by dotted path (`hidden.weight`) for optimisers, state dicts and saved files.
 * A subclass sets `kind` and writes `forward`.
 */
export abstract class Module {
  /** The module's path in its model (`hidden`, `blocks.0`), used in error messages. */
  name = '';
  /** Training mode (dropout active) or evaluation mode. */
  training = true;

  /** The layer kind in messages and saved files, e.g. `dense`. */
  abstract readonly kind: string;

  /** The module's output for a batch `x`. */
  abstract forward(x: Tensor): Tensor;

  /** `dense 'hidden'`: how errors refer to this module. */
  describe(): string {
    return this.name === '' ? this.kind : `${this.kind} '${this.name}'`;
  }

  /** Throws unless forward's input is a Tensor, naming the layer: `dense.forward: x must be a Tensor, got an array`. */
  protected expectInput(x: unknown): asserts x is Tensor {
    if (!(x instanceof Tensor)) expectTensor(`${this.describe()}.forward`, 'x', x);
  }

  /**
   * Sub-modules by field name, in the order they were assigned. Arrays of modules are named
   * `field.0`, `field.1`, …; containers may override this to choose their children's names.
   */
  namedChildren(): [string, Module][] {
    const children: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) children.push([key, value]);
      else if (Array.isArray(value)) value.forEach((v, i) => v instanceof Module && children.push([`${key}.${i}`, v]));
    }
    return children;
  }

  /** This module's own parameters (not its children's): fields holding leaf tensors that require gradients. */
  namedOwnParameters(): [string, Tensor][] {
    return Object.entries(this).filter(
      (entry): entry is [string, Tensor] => entry[1] instanceof Tensor && entry[1].requiresGrad && entry[1].node === null,
    );
  }

  /** Every module in the tree with its dotted path ('' for this one); unnamed modules take their path as name. */
  namedModules(): [string, Module][] {
    const result: [string, Module][] = [];
    const stack: [string, Module][] = [['', this]];
    while (stack.length > 0) {
      const [path, module] = stack.pop()!;
      result.push([path, module]);
      const children = module.namedChildren().map(([key, child]): [string, Module] => [path === '' ? key : `${path}.${key}`, child]);
      for (const [childPath, child] of children) if (child.name === '') child.name = childPath;
      stack.push(...children.reverse());
    }
    return result;
  }

  /** Every parameter with its dotted name, e.g. `['hidden.weight', tensor]`, in a fixed order. */
  namedParameters(): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const result: [string, Tensor][] = [];
    for (const [path, module] of this.namedModules()) {
      for (const [key, p] of module.namedOwnParameters()) {
        if (seen.has(p)) continue; // a shared parameter is listed (and updated) once
        seen.add(p);
        result.push([path === '' ? key : `${path}.${key}`, p]);
      }
    }
    return result;
  }

  /** Every parameter, in {@link namedParameters}' order, without names: what optimisers take. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** The number of trainable scalars. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode (dropout active) on this module and every sub-module. */
  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  /** Sets evaluation mode (dropout off) on this module and every sub-module. */
  eval(): this {
    return this.train(false);
  }

  /** Parameters by dotted name. The tensors are the live parameters, not copies. */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.namedParameters());
  }

  /**
   * Copies values into the parameters by dotted name. Every problem (missing, unexpected or
   * wrong-shaped entries, entries that are not tensors, float64 values for a float32 parameter)
   * is collected and reported in one error, and on error nothing changes. As deserializeModel,
   * float64 values are refused for a float32 parameter rather than rounded: cast them first
   * (`t.cast('float32')`) to round on purpose. float32 values widen exactly into float64.
   */
  loadStateDict(state: Readonly<Record<string, Tensor>>): void {
    const problems = this.stateDictProblems(state);
    if (problems.length > 0) {
      throw new Error(`loadStateDict: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    for (const [name, p] of this.namedParameters()) p.data.set(state[name].data);
  }

  /** What `loadStateDict(state)` would reject, one sentence each; empty when it fits. */
  stateDictProblems(state: Readonly<Record<string, Tensor>>): string[] {
    if (typeof state !== 'object' || state === null || Array.isArray(state) || state instanceof Tensor) {
      return [`the state must be an object of tensors by dotted name (as stateDict() returns), got ${describeValue(state)}`];
    }
    const problems: string[] = [];
    const own = new Map(this.namedParameters());
    for (const [name, p] of own) {
      // Own keys only: 'constructor' or 'toString' inherited from Object.prototype is no parameter.
      const value: unknown = Object.hasOwn(state, name) ? state[name] : undefined;
      if (value === undefined) problems.push(`missing parameter '${name}' ${formatShape(p.shape)}`);
      else if (!(value instanceof Tensor)) problems.push(`parameter '${name}' must be a Tensor, got ${describeValue(value)}`);
      else if (!sameShape(value.shape, p.shape)) {
        problems.push(`parameter '${name}' has shape ${formatShape(value.shape)} but the model expects ${formatShape(p.shape)}`);
      } else if (value.dtype === 'float64' && p.dtype === 'float32') {
        problems.push(`parameter '${name}' is float64 but the model's is float32, which would round its values (cast it, or build the model in float64)`);
      }
    }
    for (const name of Object.keys(state)) if (!own.has(name)) problems.push(`unexpected parameter '${name}'`);
    return problems;
  }

  /**
   * The architecture as plain JSON, for saving; built-in layers implement it. A custom module
   * returns null: its weights can still be saved and loaded into an instance built in code.
   */
  toConfig(): ModuleConfig | null {
    return null;
  }
}
