/**
 * The training strip: loss, optimiser and its hyperparameters, learning rate, batch size, L1/L2,
 * gradient clipping. All but the loss change the running training without a reset.
 */
import { h } from '../dom.js';
import { numberField, selectField } from './controls.js';
import type { NumberField, SliderScale } from './controls.js';
import { LOSSES, LOSS_LABELS } from './spec.js';
import type { LossName } from './spec.js';
import { OPTIMIZERS, OPTIMIZER_LABELS, SETTING_RANGES } from './settings.js';
import type { NumericSetting, OptimizerName } from './settings.js';
import { withNetwork, withSettings } from './transitions.js';
import type { PlaygroundPanel, Store } from './store.js';
import { taskOfData } from './url-state.js';
import type { Hideable, PlaygroundState } from './url-state.js';

/** The learning rate slider's stops, on a log scale as TensorFlow Playground's; the box takes any rate. */
export const LEARNING_RATE_STOPS = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;

const NUMBERS: { key: NumericSetting; name: string; label: string; group: Hideable; help?: string; slider?: SliderScale }[] = [
  { key: 'learningRate', name: 'lr', label: 'Learning rate', group: 'lr', slider: { stops: LEARNING_RATE_STOPS } },
  { key: 'momentum', name: 'momentum', label: 'Momentum', group: 'optimizer' },
  { key: 'beta1', name: 'beta1', label: 'Adam β₁', group: 'optimizer' },
  { key: 'beta2', name: 'beta2', label: 'Adam β₂', group: 'optimizer' },
  { key: 'batchSize', name: 'batch', label: 'Batch size', group: 'batch', help: '0 = all training points' },
  { key: 'l1', name: 'l1', label: 'L1 penalty', group: 'regularization' },
  { key: 'l2', name: 'l2', label: 'L2 penalty', group: 'regularization' },
  { key: 'clipNorm', name: 'clip', label: 'Clip gradient norm', group: 'clip', help: '0 = off' },
];

export function trainingPanel(store: Store): PlaygroundPanel {
  const state = store.get();
  const loss = selectField<LossName>({
    name: 'loss',
    label: 'Loss',
    value: state.network.loss,
    options: LOSSES.map((l) => [l, LOSS_LABELS[l]] as const),
    group: 'loss',
    onCommit: (value) => store.apply(withNetwork(store.get(), { ...store.get().network, loss: value }), 'reset'),
  });
  const optimizer = selectField<OptimizerName>({
    name: 'optimizer',
    label: 'Optimiser',
    value: state.settings.optimizer,
    options: OPTIMIZERS.map((o) => [o, OPTIMIZER_LABELS[o]] as const),
    group: 'optimizer',
    onCommit: (value) => store.apply(withSettings(store.get(), { ...store.get().settings, optimizer: value }), 'settings'),
  });
  const numbers = new Map<NumericSetting, NumberField>();
  for (const { key, name, label, group, help, slider } of NUMBERS) {
    numbers.set(
      key,
      numberField({
        name,
        label,
        value: state.settings[key],
        range: SETTING_RANGES[key],
        group,
        help,
        slider,
        onCommit: (value) => store.apply(withSettings(store.get(), { ...store.get().settings, [key]: value }), 'settings'),
      }),
    );
  }
  const element = h(
    'section',
    { class: 'pg-training', 'aria-label': 'Training settings' },
    loss.element,
    optimizer.element,
    ...[...numbers.values()].map((f) => f.element),
  );
  function sync(s: PlaygroundState): void {
    loss.setValue(s.network.loss);
    // Regression has one loss, squared error through a linear output.
    const regression = taskOfData(s.data) === 'regression';
    for (const option of Array.from(loss.control.options)) {
      option.disabled = regression && option.value !== 'mse';
      if (option.value === 'mse') option.textContent = regression ? 'squared error (linear out)' : LOSS_LABELS.mse;
    }
    optimizer.setValue(s.settings.optimizer);
    for (const [key, f] of numbers) if (!f.control.hasAttribute('aria-invalid')) f.setValue(s.settings[key]);
    numbers.get('momentum')!.element.hidden = s.settings.optimizer !== 'momentum';
    numbers.get('beta1')!.element.hidden = s.settings.optimizer !== 'adam';
    numbers.get('beta2')!.element.hidden = s.settings.optimizer !== 'adam';
  }
  sync(state);
  return { element, sync };
}
