/**
 * Inverted dropout: in training mode each element is kept with probability 1 − rate and scaled
 * by 1 / (1 − rate), so its expected value is unchanged for any rate and evaluation needs no
 * rescaling. In evaluation mode (and at rate 0) it passes x through.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { allocate } from '../../tensor/dtype.js';
import { Tensor as TensorClass } from '../../tensor/tensor.js';
import type { Generator } from '../../random/generator.js';
import { Module } from '../module.js';
import { registerModuleType } from '../config.js';
import type { ModuleConfig } from '../config.js';
import { describeValue } from '../../tensor/arguments.js';

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Draws the masks; required for training with rate > 0. */
  rng?: Generator;
  /** How errors refer to the layer; containers name unnamed layers by their path. */
  name?: string;
}

/**
 * Inverted dropout: in training mode each value is kept with probability 1 − rate and scaled by
 * 1 / (1 − rate); in evaluation mode (and at rate 0) x passes through.
 */
export class Dropout extends Module {
  readonly kind = 'dropout';
  /** The probability of dropping each value, in [0, 1). */
  readonly rate: number;
  private readonly rng: Generator | undefined;

  constructor(rate: number, options: DropoutOptions = {}) {
    super();
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${describeValue(rate)}`);
    if (typeof options !== 'object' || options === null) throw new Error(`dropout: options must be an object, got ${describeValue(options)}`);
    this.rate = rate;
    this.rng = options.rng;
    this.name = options.name ?? '';
  }

  forward(x: Tensor): Tensor {
    this.expectInput(x);
    if (!this.training || this.rate === 0) return x;
    if (this.rng === undefined) {
      throw new Error(`${this.describe()}: needs a seeded Generator for its masks in training mode: pass { rng } (or call eval())`);
    }
    const keep = 1 - this.rate;
    const mask = allocate(x.dtype, x.size);
    // One independent draw per element (per item and unit), at every call.
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.uniform() < keep ? 1 / keep : 0;
    return x.mul(new TensorClass(mask, x.shape));
  }

  override toConfig(): ModuleConfig {
    return { type: 'dropout', rate: this.rate };
  }
}

registerModuleType('dropout', (config, { rng }) => new Dropout(Number(config.rate), { rng }));
