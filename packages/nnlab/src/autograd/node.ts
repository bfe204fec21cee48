/** What a computed tensor remembers for the backward pass. */
import type { Tensor } from '../tensor/tensor.js';
import type { OpDefinition } from './op.js';

export interface GradNode {
  readonly op: OpDefinition;
  /** The op's inputs, in the order of `op.inputs`. */
  readonly inputs: readonly Tensor[];
  /** The same inputs by name, as the op's forward received them. */
  readonly named: Readonly<Record<string, Tensor>>;
  readonly attrs: unknown;
  /** Values the forward pass kept for the backward pass (declared by the op). */
  readonly saved: unknown;
}
