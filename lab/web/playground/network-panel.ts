/**
 * The network panel: add and remove hidden layers, set each layer's units, activation and
 * dropout, choose skip connections; below them, the drawn network. Changing the shape rebuilds
 * the run from epoch 0 (same seed, so the same starting weights for the same shape).
 */
import { h } from '../dom.js';
import { numberField, panel, selectField } from './controls.js';
import { columnCentre } from './network-layout.js';
import type { NetworkLayout } from './network-layout.js';
import { createNetworkView } from './network-view.js';
import type { NetworkView } from './network-view.js';
import { DEFAULT_FEATURES, FEATURES, FEATURE_LABELS } from './features.js';
import type { FeatureName } from './features.js';
import { ACTIVATION_LABELS, HIDDEN_ACTIVATIONS, NETWORK_LIMITS, SKIPS, featuresOf, skipLayers } from './spec.js';
import type { HiddenActivation, LayerSpec, Skip } from './spec.js';
import { withNetwork } from './transitions.js';
import type { PlaygroundPanel, Store } from './store.js';
import { networkSpecOf } from './url-state.js';
import type { PlaygroundState } from './url-state.js';

const SKIP_LABELS: Record<Skip, string> = { none: 'none', residual: 'residual (x + f(x))', highway: 'highway (gated)' };
/** Room left between two neighbouring layer cards, and the width under which a card turns compact. */
const CARD_SPACING = 8;
const COMPACT_CARD = 110;

export interface NetworkPanel extends PlaygroundPanel {
  view: NetworkView;
}

export function networkPanel(store: Store, onEditWeight: (layer: number, from: number, to: number, value: number) => void, onHover?: () => void): NetworkPanel {
  const view = createNetworkView({ onEditWeight, onHover, room: (diagram) => room(diagram), onLayout: (layout) => placeCards(layout) });
  const setHidden = (hidden: LayerSpec[]) => store.apply(withNetwork(store.get(), { ...store.get().network, hidden }), 'reset');
  const layerCount = h('span', { class: 'pg-count', 'aria-live': 'polite' });
  const addLayer = h('button', { type: 'button', class: 'pg-small', 'data-key': 'add-layer', 'aria-label': 'Add a hidden layer' }, '+');
  const removeLayer = h('button', { type: 'button', class: 'pg-small', 'data-key': 'remove-layer', 'aria-label': 'Remove the last hidden layer' }, '−');
  const layerMessage = h('p', { class: 'pg-error', role: 'alert', 'data-testid': 'layers-error' });
  addLayer.addEventListener('click', () => {
    const hidden = store.get().network.hidden;
    const last = hidden[hidden.length - 1] ?? { units: 4, activation: 'tanh', dropout: 0 };
    layerMessage.textContent = setHidden([...hidden, { ...last, dropout: 0 }]) ?? '';
  });
  removeLayer.addEventListener('click', () => (layerMessage.textContent = setHidden(store.get().network.hidden.slice(0, -1)) ?? ''));
  const skip = selectField<Skip>({
    name: 'skip',
    label: 'Skip connections',
    value: store.get().network.skip,
    options: SKIPS.map((k) => [k, SKIP_LABELS[k]] as const),
    group: 'skip',
    onCommit: (value) => store.apply(withNetwork(store.get(), { ...store.get().network, skip: value }), 'reset'),
  });
  const skipNote = h('p', { class: 'pg-help' });
  // The input features, one checkbox each (in FEATURES order, whatever order they were ticked in).
  const featureMessage = h('p', { class: 'pg-error', role: 'alert', 'data-testid': 'inputs-error' });
  const featureBoxes = FEATURES.map((feature) => {
    const box = h('input', { type: 'checkbox', 'data-testid': `input-feature-${feature}`, 'data-key': `feature-${feature}` });
    box.addEventListener('change', () => {
      const chosen = FEATURES.filter((f) => (f === feature ? box.checked : featuresOf(store.get().network).includes(f)));
      const network = { ...store.get().network };
      if (chosen.join() === DEFAULT_FEATURES.join()) delete network.features;
      else network.features = chosen;
      featureMessage.textContent = store.apply(withNetwork(store.get(), network), 'reset') ?? '';
      if (featureMessage.textContent !== '') box.checked = !box.checked; // refused: show what is in effect
    });
    return { feature, box, label: h('label', { class: 'pg-feature' }, box, FEATURE_LABELS[feature]) };
  });
  const featurePicker = h(
    'fieldset',
    { class: 'pg-features', 'data-group': 'inputs', 'data-testid': 'features' },
    h('legend', {}, 'Input features'),
    ...featureBoxes.map((b) => b.label),
    featureMessage,
  );
  const cards = h('div', { class: 'pg-layer-cards', 'data-group': 'layers' });
  const bar = h(
    'div',
    { class: 'pg-net-bar' },
    h('div', { class: 'pg-layers', 'data-group': 'layers' }, h('span', {}, 'Hidden layers'), removeLayer, layerCount, addLayer, layerMessage),
    h('div', {}, skip.element, skipNote),
    featurePicker,
  );
  const scroller = h('div', { class: 'pg-net-scroll' }, h('div', { class: 'pg-net-inner' }, cards, view.element));
  const element = panel('Network', 'pg-network', bar, scroller);
  let shown = '';

  /**
   * The room for the drawing: the panel's width, and the screen's height below the drawing's top
   * less the panel's own margin under it; never less than a third of the screen, so that where
   * the drawing starts far down (a narrow window stacks the panels) it keeps a size and scrolls.
   */
  function room(diagram: HTMLElement): { width: number; height: number } {
    const top = diagram.getBoundingClientRect().top + window.scrollY;
    const under = element.getBoundingClientRect().bottom - scroller.getBoundingClientRect().bottom + parseFloat(getComputedStyle(scroller).paddingBottom);
    return { width: scroller.clientWidth, height: Math.max(window.innerHeight - top - under, window.innerHeight / 3) };
  }

  /** Each layer card over its column, as wide as the columns' spacing allows. */
  function placeCards(layout: NetworkLayout): void {
    const width = layout.columnPitch - CARD_SPACING;
    cards.style.width = `${layout.width}px`;
    cards.classList.toggle('pg-cards-compact', width < COMPACT_CARD);
    cards.querySelectorAll<HTMLElement>(':scope > .pg-card').forEach((card, i) => {
      card.style.cssText = `left:${columnCentre(layout, i + 1) - width / 2}px;width:${width}px`;
    });
  }

  function card(layer: LayerSpec, i: number, hidden: LayerSpec[]): HTMLElement {
    const name = `h${i + 1}`;
    const replace = (change: Partial<LayerSpec>) => setHidden(hidden.map((l, k) => (k === i ? { ...l, ...change } : l)));
    const units = h('span', { class: 'pg-count' }, String(layer.units));
    const fewer = h('button', { type: 'button', class: 'pg-small', 'data-key': `${name}-fewer`, 'aria-label': `Fewer units in ${name}` }, '−');
    const more = h('button', { type: 'button', class: 'pg-small', 'data-key': `${name}-more`, 'aria-label': `More units in ${name}` }, '+');
    const [min, max] = NETWORK_LIMITS.units;
    fewer.disabled = layer.units <= min;
    more.disabled = layer.units >= max;
    const message = h('p', { class: 'pg-error', role: 'alert' });
    fewer.addEventListener('click', () => (message.textContent = replace({ units: layer.units - 1 }) ?? ''));
    more.addEventListener('click', () => (message.textContent = replace({ units: layer.units + 1 }) ?? ''));
    const activation = selectField<HiddenActivation>({
      name: `${name}-activation`,
      label: 'activation',
      value: layer.activation,
      options: HIDDEN_ACTIVATIONS.map((a) => [a, ACTIVATION_LABELS[a]] as const),
      group: null,
      onCommit: (value) => replace({ activation: value }),
    });
    activation.control.dataset.key = `${name}-activation`;
    activation.control.setAttribute('aria-label', `Activation of ${name}`);
    const dropout = numberField({
      name: `${name}-dropout`,
      label: 'dropout',
      value: layer.dropout,
      range: { min: 0, max: NETWORK_LIMITS.dropout[1], step: 0.05, minInclusive: true, integer: false },
      group: null,
      onCommit: (value) => replace({ dropout: value }),
    });
    dropout.control.dataset.key = `${name}-dropout`;
    dropout.control.setAttribute('aria-label', `Dropout rate after ${name}`);
    return h(
      'fieldset',
      { class: 'pg-card' },
      h('legend', {}, name, h('span', { class: 'pg-card-word' }, ' units')),
      h('div', { class: 'pg-units' }, fewer, units, more),
      message,
      activation.element,
      dropout.element,
    );
  }

  function sync(state: PlaygroundState): void {
    const spec = networkSpecOf(state);
    skip.setValue(spec.skip);
    const features: readonly FeatureName[] = featuresOf(spec);
    for (const { feature, box } of featureBoxes) box.checked = features.includes(feature);
    const { hidden } = spec;
    layerCount.textContent = String(hidden.length);
    removeLayer.disabled = hidden.length <= NETWORK_LIMITS.layers[0];
    addLayer.disabled = hidden.length >= NETWORK_LIMITS.layers[1];
    const skips = skipLayers(spec);
    const joined = hidden.map((_, i) => `h${i + 1}`).filter((_, i) => skips[i]);
    skipNote.textContent =
      spec.skip === 'none'
        ? 'A skip joins a layer to the next of the same width.'
        : joined.length === 0
          ? 'No layer has the width of the one before it, so none gets a skip: make two neighbours equally wide.'
          : `On ${joined.join(', ')} (same width in and out); the others change the width and stay plain.`;
    const key = JSON.stringify(spec);
    if (key === shown) return;
    shown = key;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.key : undefined;
    cards.replaceChildren(...hidden.map((layer, i) => card(layer, i, hidden)));
    view.rebuild(spec); // which places the cards over its columns
    if (focused !== undefined) element.querySelector<HTMLElement>(`[data-key="${focused}"]`)?.focus();
  }
  sync(store.get());
  return { element, sync, view };
}
