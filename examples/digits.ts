// Trains a 64-32-10 network on real data, the UCI hand-written digits (8×8 images, 10 classes),
// and prints its accuracy on held-out images. `node --import tsx examples/digits.ts 7` picks seed 7.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tensor, nn, optim, fit, noGrad, Generator } from 'nnlab';
import type { Tensor } from 'nnlab';

// Read next to this file, not the working directory, so the example runs wherever it is installed.
const DATA_FILE = new URL('./data/digits.txt', import.meta.url);
const EPOCHS = 50;
const BATCH_SIZE = 32;
const LEARNING_RATE = 0.001;

interface Split {
  images: number[][];
  labels: number[];
}

/** Each line: split, label, 64 pixels written as base-17 digits (0–g, i.e. 0–16); see data/README.md. */
function loadDigits(): { train: Split; test: Split } {
  const train: Split = { images: [], labels: [] };
  const test: Split = { images: [], labels: [] };
  for (const line of readFileSync(DATA_FILE, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [split, label, pixels] = line.split(' ');
    const into = split === 'test' ? test : train;
    // Scaled to [0, 1]: inputs of order 1 keep the first layer's pre-activations of order 1 too.
    into.images.push([...pixels].map((digit) => parseInt(digit, 17) / 16));
    into.labels.push(Number(label));
  }
  return { train, test };
}

function accuracy(model: nn.Sequential, inputs: Tensor, labels: readonly number[]): number {
  const predicted = noGrad(() => model.forward(inputs)).argmax(); // the largest logit's class, per row
  return predicted.filter((digit, i) => digit === labels[i]).length / labels.length;
}

const seed = Number(process.argv[2] ?? 1);
const { train, test } = loadDigits();
const trainInputs = tensor(train.images); // [1437, 64]
const testInputs = tensor(test.images); // [360, 64]

const rng = new Generator(seed); // draws the initial weights and each epoch's minibatch order
const model = new nn.Sequential({
  hidden: new nn.Dense(64, 32, { activation: 'relu', rng }),
  // No softmax here: crossEntropyLoss takes the logits and applies log-softmax itself, stably.
  output: new nn.Dense(32, 10, { rng }),
});

const started = performance.now();
fit(model, {
  inputs: trainInputs,
  targets: tensor(train.labels), // class indices, one per row
  loss: nn.crossEntropyLoss,
  optimizer: new optim.Adam(model.parameters(), { lr: LEARNING_RATE }),
  epochs: EPOCHS,
  batchSize: BATCH_SIZE,
  rng,
  capture: true, // replays each step without rebuilding the graph: the same numbers, faster
  onEpoch: ({ epoch, loss }) => {
    if (epoch === 1 || epoch % 10 === 0) console.log(`epoch ${epoch}: training loss ${loss.toFixed(4)}`);
  },
});
const seconds = (performance.now() - started) / 1000;

const percent = (fraction: number) => `${(100 * fraction).toFixed(1)}%`;
console.log(`train accuracy ${percent(accuracy(model, trainInputs, train.labels))} (${train.labels.length} images)`);
console.log(`test accuracy ${percent(accuracy(model, testInputs, test.labels))} (${test.labels.length} images)`);
console.log(`trained in ${seconds.toFixed(2)} s (${EPOCHS} epochs of minibatches of ${BATCH_SIZE}, seed ${seed})`);
