// Trains the chapter's two-layer network on XOR and prints its predictions.
import { tensor, nn, optim, fit, noGrad, Generator } from 'nnlab';

const inputs = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const targets = tensor([[0], [1], [1], [0]]);

const rng = new Generator(1); // same seed, same run: in Node and in the browser
const model = new nn.Sequential({
  hidden: new nn.Dense(2, 2, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
  output: new nn.Dense(2, 1, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
});

const history = fit(model, {
  inputs,
  targets,
  loss: nn.mseLoss,
  optimizer: new optim.SGD(model.parameters(), { lr: 5 }),
  epochs: 2000,
});

console.log(`final error ${history[history.length - 1].loss.toFixed(4)}`);
const predictions = noGrad(() => model.forward(inputs));
console.log(predictions.toString());
