/**
 * What versus.ts times on each side: (a)'s XOR step, eager and captured, and (d)'s 51 heat maps,
 * as the bench's workloads make them (xor-step.ts, heat-maps.ts), written against only the
 * public API of 'nnlab' and the playground's trainer, so that the same file bundles against
 * another tree's sources. Each maker returns a step whose value the two sides must agree on.
 */
import { captureStep, Generator, nn, optim, tensor } from 'nnlab';
import { generateDataset } from '../../lab/web/playground/datasets.js';
import { DEFAULT_SETTINGS } from '../../lab/web/playground/settings.js';
import type { NetworkSpec } from '../../lab/web/playground/spec.js';
import { PlaygroundModel } from '../../lab/web/playground/trainer.js';
import type { Maps } from '../../lab/web/playground/trainer.js';
import { mapsBuffer } from '../../lab/web/playground/protocol.js';

/** A 2-2-1 sigmoid net from seed 0 (weights normal(0, 0.3)), MSE on XOR, SGD lr 5. */
function xor() {
  const rng = new Generator(0);
  const model = new nn.Sequential({
    hidden: new nn.Dense(2, 2, { activation: 'sigmoid', rng, weightInit: nn.init.normal(0, 0.3) }),
    output: new nn.Dense(2, 1, { activation: 'sigmoid', rng, weightInit: nn.init.normal(0, 0.3) }),
  });
  const optimizer = new optim.SGD(model.parameters(), { lr: 5 });
  const x = tensor([0, 0, 0, 1, 1, 0, 1, 1], 'float32', [4, 2]);
  const t = tensor([0, 1, 1, 0], 'float32', [4, 1]);
  return { model, optimizer, x, t };
}

/** (d): heat-maps.ts's playground, 6 hidden ReLU layers of 8 on a 3-class spiral, after 20 epochs. */
const SPEC: NetworkSpec = {
  hidden: Array.from({ length: 6 }, () => ({ units: 8, activation: 'relu' as const, dropout: 0 })),
  skip: 'none',
  loss: 'softmax',
  classes: 3,
};

export const makers: Record<string, () => () => number> = {
  '(a) XOR 2-2-1 sigmoid, eager step': () => {
    const { model, optimizer, x, t } = xor();
    return () => {
      optimizer.zeroGrad();
      const loss = nn.mseLoss(model.forward(x), t);
      loss.backward();
      optimizer.step();
      return loss.item();
    };
  },
  '(a) XOR 2-2-1 sigmoid, captured step': () => {
    const { model, optimizer, x, t } = xor();
    const step = captureStep({ loss: (inputs) => nn.mseLoss(model.forward(inputs.x), inputs.t), optimizer, inputs: { x, t }, model });
    return () => step.run();
  },
  '(d) 51 heat maps of 100×100': () => {
    const points = generateDataset({ name: 'spiral', count: 1000, noise: 0, classes: 3, testFraction: 0 }, 1);
    const trainer = new PlaygroundModel(SPEC, points, DEFAULT_SETTINGS, 1);
    trainer.train(20);
    let drawn: Maps | null = null;
    return () => {
      const maps = trainer.maps(100);
      // As the page does: once it has drawn these maps, the ones drawn before go back.
      const previous = drawn === null ? null : mapsBuffer(drawn);
      if (previous !== null) trainer.recycle(previous);
      drawn = maps;
      return maps.output[0][0];
    };
  },
};
