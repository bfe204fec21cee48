/**
 * Gradient descent and simulated annealing on the same network, data and initial weights, run in
 * lockstep over the same budget of loss evaluations, each evaluation counted where it happens.
 *
 * The accounting: one gradient-descent step (a forward and a backward pass at the current point)
 * is charged `gradientCost` evaluations; the annealer pays one per loss it computes (its starting
 * point and each proposal). The losses drawn on the curves are measured by an observer outside
 * either method and are not charged, as the chapter's error curves are not part of training.
 */
import { Generator, nn, noGrad, optim } from 'nnlab';
import { Trainee } from '../driver.js';
import type { Tensor } from 'nnlab';
import type { Dataset } from '../../datasets/gates.js';
import { twoLayerNet } from '../two-layer.js';
import { Annealer } from './anneal.js';
import { predictionsOf } from '../common.js';
import { isSolved } from '../verdict.js';
import type { AnnealStep } from './anneal.js';

export interface RaceConfig {
  hidden: number;
  /** The budget: loss evaluations each method may spend. */
  epochs: number;
  gradientCost: number;
  learningRate: number;
  initStd: number;
  startTemperature: number;
  endTemperature: number;
  proposalScale: number;
  proposal: string;
}

/** The MSE of a model on the data, without recording a graph. */
export function mseOf(model: nn.Module, inputs: Tensor, targets: Tensor): number {
  return noGrad(() => nn.mseLoss(model.forward(inputs), targets)).item();
}

/** Every target on the right side of 0.5 (for XOR: all four corners): the lab's one success rule, isSolved. */
export function solves(model: nn.Module, data: Dataset): boolean {
  return isSolved(predictionsOf(data, (x) => model.forward(x)));
}

export class Race {
  readonly descent: nn.Sequential;
  readonly annealing: nn.Sequential;
  /** Created at the first evaluation: its starting point's loss is that evaluation. */
  annealer: Annealer | undefined;
  /** Evaluations spent so far by each method, counted as they happen. */
  readonly spent = { descent: 0, annealing: 0 };
  /** Evaluations each method may have spent by now (the lockstep clock). */
  evaluation = 0;
  gradientSteps = 0;
  private readonly descentTrainee: Trainee;
  private readonly seed: number;

  constructor(
    readonly config: RaceConfig,
    readonly inputs: Tensor,
    readonly targets: Tensor,
    seed: number,
  ) {
    // Same seed, same shapes, same draws: both nets start from identical weights.
    this.descent = twoLayerNet(config.hidden, 1, 'sigmoid', config.initStd, new Generator(seed));
    this.annealing = twoLayerNet(config.hidden, 1, 'sigmoid', config.initStd, new Generator(seed));
    this.descentTrainee = new Trainee({
      series: 'gradient descent',
      model: this.descent,
      loss: nn.mseLoss,
      optimizer: new optim.SGD(this.descent.parameters(), { lr: config.learningRate }),
    });
    this.seed = seed;
  }

  get done(): boolean {
    return this.evaluation >= this.config.epochs;
  }

  /**
   * Moves the clock one evaluation on: the annealer spends it; gradient descent takes a step
   * whenever the clock reaches a multiple of its cost (having paid for it over those evaluations).
   * Returns the annealer's proposal, if it made one.
   */
  advance(): AnnealStep | undefined {
    this.evaluation++;
    let proposal: AnnealStep | undefined;
    if (this.annealer === undefined) {
      this.annealer = new Annealer(this.annealing.parameters(), () => this.annealingLoss(), {
        steps: this.config.epochs - 1,
        startTemperature: this.config.startTemperature,
        endTemperature: this.config.endTemperature,
        scale: this.config.proposalScale,
        proposal: this.config.proposal === 'one' ? 'one' : 'all',
        rng: new Generator(this.seed).fork('annealing'),
      });
    } else {
      proposal = this.annealer.step();
    }
    if (this.evaluation % this.config.gradientCost === 0) this.descentStep();
    return proposal;
  }

  /** Runs the rest of the budget and leaves the annealer's best point in its network. */
  finish(): void {
    while (!this.done) this.advance();
    this.annealer?.loadBest();
  }

  private annealingLoss(): number {
    this.spent.annealing++;
    return mseOf(this.annealing, this.inputs, this.targets);
  }

  private descentStep(): void {
    this.spent.descent += this.config.gradientCost;
    this.descentTrainee.train(this.inputs, this.targets);
    this.gradientSteps++;
  }
}
