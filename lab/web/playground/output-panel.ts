/**
 * The output panel: the big output map with the points (click to add, right-click or alt-click
 * to remove), the class to add, per-class maps for softmax, the view options, and the loss and
 * accuracy curves.
 */
import { colourOf } from '../../render/palette.js';
import type { Palette } from '../../render/palette.js';
import { drawHeatMap } from '../canvas/heatmap.js';
import { h } from '../dom.js';
import { fitCanvas } from '../canvas/fit.js';
import { drawCurves } from './charts.js';
import type { CurveHistory } from './charts.js';
import { checkboxField, numberField, panel, selectField } from './controls.js';
import { nearestPoint } from './datasets.js';
import type { Point } from './datasets.js';
import { mapExtent } from '../canvas/overlay.js';
import { VALUE_DOMAIN, classColour, drawOutput, mapBox, toData } from './output-view.js';
import type { Snapshot } from './protocol.js';
import { format } from './network-view.js';
import type { HoveredMap } from './network-view.js';
import { LOSS_MEASURES, taskOf } from './spec.js';
import { addPoint, editRefusal, removePoint, withData } from './transitions.js';
import type { PlaygroundPanel, Store } from './store.js';
import { RESOLUTION_RANGE, SPEEDS, WATCHABLE_SPEED, classesOfData, networkSpecOf, taskOfData } from './url-state.js';
import type { PlaygroundState, Speed } from './url-state.js';

const SPEED_LABELS: Record<Speed, string> = { '1': '1 epoch/s', '10': '10 epochs/s', '30': '30 epochs/s', '100': '100 epochs/s', '1000': '1,000 epochs/s', max: 'as fast as it goes' };

export interface OutputPanel extends PlaygroundPanel {
  draw(snapshot: Snapshot | null): void;
  /** The output map (data-testid="heatmap-Output"). */
  canvas: HTMLCanvasElement;
  /** The speed select and its "as fast as it goes" toggle, for the page's run bar. */
  speedControls: HTMLElement;
}

export function outputPanel(store: Store, pointsNow: () => readonly Point[], history: CurveHistory, hovered: () => HoveredMap | null = () => null): OutputPanel {
  // Names the hovered unit whose map the output view shows in place of the output's.
  const showing = h('p', { class: 'pg-help pg-showing', 'data-testid': 'output-showing', 'aria-live': 'polite' });
  const canvas = h('canvas', {
    class: 'pg-output-map',
    width: 320,
    height: 320,
    'data-testid': 'heatmap-Output',
    role: 'img',
    'aria-label': 'The network output over the input square with the data points. Click to add a point of the chosen class; right-click or alt-click removes the nearest point.',
  });
  const editError = h('p', { class: 'pg-error', role: 'alert', 'data-testid': 'edit-error' });
  const picker = h('fieldset', { class: 'pg-picker', 'data-group': 'edit' });
  let chosen = 1;
  const hint = h(
    'p',
    { class: 'pg-help', 'data-group': 'edit' },
    'Click the map to add a training point of the chosen class (shift-click: class 0). Right-click or alt-click removes the nearest point. Discs are training points, squares test points.',
  );
  const legend = h('div', { class: 'pg-legend' });
  const classMaps = h('div', { class: 'pg-class-maps' });
  const lossCanvas = h('canvas', { class: 'pg-curve', 'data-testid': 'loss-curve', role: 'img', 'aria-label': 'Training and test loss by epoch' });
  const accuracyCanvas = h('canvas', { class: 'pg-curve', 'data-testid': 'accuracy-curve', role: 'img', 'aria-label': 'Training and test accuracy by epoch' });

  const s = store.get();
  const setView = (change: Partial<PlaygroundState['view']>) => store.apply({ state: { ...store.get(), view: { ...store.get().view, ...change } } }, 'view');
  const discretize = checkboxField('discretize', 'Discretise output', s.view.discretize, 'view', (v) => setView({ discretize: v }));
  const showTest = checkboxField('show-test', 'Show test points', s.view.showTest, 'view', (v) => setView({ showTest: v }));
  const palette = selectField<Palette>({
    name: 'palette',
    label: 'Colours',
    value: s.view.palette,
    options: [['bwr', 'blue–white–red'], ['colorblind', 'colour-blind safe']],
    group: 'view',
    onCommit: (v) => setView({ palette: v }),
  });
  const resolution = numberField({
    name: 'resolution',
    label: 'Map resolution',
    value: s.view.resolution,
    range: RESOLUTION_RANGE,
    group: 'view',
    onCommit: (v) => store.apply({ state: { ...store.get(), view: { ...store.get().view, resolution: v } } }, 'reset'),
  });
  const speed = selectField<Speed>({
    name: 'speed',
    label: 'Speed',
    value: s.view.speed,
    options: SPEEDS.map((v) => [v, SPEED_LABELS[v]] as const),
    group: null,
    onCommit: (v) => setView({ speed: v }),
  });

  // One click to "as fast as it goes" and back to the watchable speed.
  const fastest = h('button', { type: 'button', class: 'pg-small', 'data-testid': 'speed-toggle' });
  fastest.addEventListener('click', () => setView({ speed: store.get().view.speed === 'max' ? WATCHABLE_SPEED : 'max' }));
  const showSpeedToggle = (speed: Speed) => {
    fastest.textContent = speed === 'max' ? `Slow down (${SPEED_LABELS[WATCHABLE_SPEED]})` : 'As fast as it goes';
  };
  showSpeedToggle(s.view.speed);

  const editable = () => !store.get().hide.includes('edit');
  canvas.addEventListener('click', (event) => {
    if (!editable()) return;
    const refusal = editRefusal(store.get());
    if (refusal !== null) return void (editError.textContent = refusal);
    if (event.altKey) return remove(event);
    const [x0, x1] = dataAt(event);
    const label = event.shiftKey ? 0 : chosen;
    editError.textContent = store.apply(addPoint(store.get(), x0, x1, label), 'reset') ?? '';
  });
  canvas.addEventListener('contextmenu', (event) => {
    event.preventDefault();
    const refusal = editRefusal(store.get());
    if (refusal !== null) editError.textContent = refusal;
    else if (editable()) remove(event);
  });

  /** The data point under the mouse (clamped to the square) and the map's side in CSS pixels. */
  function dataAt(event: MouseEvent): [number, number, number] {
    const box = canvas.getBoundingClientRect();
    const { margin, side } = mapBox(box.width);
    const [x0, x1] = toData(event.clientX - box.left - margin, event.clientY - box.top - margin, store.get().view.resolution, side);
    return [Math.min(1, Math.max(0, x0)), Math.min(1, Math.max(0, x1)), side];
  }

  function remove(event: MouseEvent): void {
    const [x0, x1, side] = dataAt(event);
    const [lo, hi] = mapExtent(store.get().view.resolution);
    const reach = (12 / side) * (hi - lo);
    const index = nearestPoint(pointsNow(), x0, x1, reach);
    if (index < 0) return void (editError.textContent = 'No point there to remove: right-click or alt-click on a point.');
    editError.textContent = store.apply(removePoint(store.get(), index), 'reset') ?? '';
  }

  const clear = h('button', { type: 'button', class: 'pg-small', 'data-group': 'edit', 'data-testid': 'clear-points' }, 'Remove all points');
  clear.addEventListener('click', () => {
    const current = store.get();
    editError.textContent = store.apply(withData(current, { ...current.data, name: 'custom', classes: Math.max(2, classesOfData(current.data)), points: [] }), 'reset') ?? '';
  });

  // The map and the loss curve first, so that they are on screen with the controls and the network.
  const element = panel(
    'Output',
    'pg-output',
    h('div', { class: 'pg-map-box' }, canvas, legend),
    showing,
    editError,
    h('div', { class: 'pg-curves', 'data-group': 'curves' }, lossCanvas, accuracyCanvas),
    picker,
    hint,
    clear,
    classMaps,
    h('div', { class: 'pg-view', 'data-group': 'view' }, discretize.element, showTest.element, palette.element, resolution.element),
  );
  const speedControls = h('div', { class: 'pg-speed' }, speed.element, fastest);

  let pickerKey = '';
  let classMapsKey = '';
  let last: Snapshot | null = null;

  function sync(state: PlaygroundState): void {
    discretize.control.checked = state.view.discretize;
    showTest.control.checked = state.view.showTest;
    palette.setValue(state.view.palette);
    speed.setValue(state.view.speed);
    showSpeedToggle(state.view.speed);
    if (!resolution.control.hasAttribute('aria-invalid')) resolution.setValue(state.view.resolution);
    const spec = networkSpecOf(state);
    const classes = spec.classes;
    const regression = taskOf(spec) === 'regression';
    // Regression points are not edited by hand, and a value has no discretised form or accuracy.
    for (const e of [picker, hint, clear]) e.hidden = regression;
    discretize.element.hidden = regression;
    accuracyCanvas.hidden = regression;
    const key = `${classes}/${state.view.palette}/${regression}`;
    if (key !== pickerKey && regression) {
      pickerKey = key;
      legend.replaceChildren(...valueLegendOf(state.view.palette));
    } else if (key !== pickerKey) {
      pickerKey = key;
      chosen = Math.min(chosen, classes - 1);
      picker.replaceChildren(
        h('legend', {}, 'Class to add'),
        ...Array.from({ length: classes }, (_, c) => {
          const id = `pg-class-${c}`;
          const radio = h('input', { type: 'radio', name: 'pg-class', id, value: c, checked: c === chosen, 'data-testid': `class-${c}` });
          radio.addEventListener('change', () => radio.checked && (chosen = c));
          const swatch = h('span', { class: 'pg-swatch', style: `background:${classColour(c, classes, state.view.palette)}` });
          return h('label', { for: id, class: 'pg-class' }, radio, swatch, `class ${c}`);
        }),
      );
      legend.replaceChildren(...legendOf(classes, state.view.palette));
    }
    const mapsKey = spec.loss === 'softmax' ? String(classes) : '';
    if (mapsKey !== classMapsKey) {
      classMapsKey = mapsKey;
      classMaps.replaceChildren(
        ...(spec.loss === 'softmax'
          ? Array.from({ length: classes }, (_, c) =>
              h('figure', {}, h('canvas', { width: 10, height: 10, 'data-testid': `heatmap-Output-${c}`, role: 'img', 'aria-label': `Probability of class ${c}` }), h('figcaption', {}, `P(class ${c})`)),
            )
          : []),
      );
    }
    draw(last);
  }

  function draw(snapshot: Snapshot | null): void {
    last = snapshot;
    const state = store.get();
    const classes = classesOfData(state.data);
    const regression = taskOfData(state.data) === 'regression';
    fitCanvas(canvas);
    const stale = snapshot === null || snapshot.maps.resolution !== state.view.resolution;
    const output = stale ? [] : snapshot.maps.output;
    const unit = stale ? null : hovered();
    const common = { resolution: state.view.resolution, points: pointsNow(), classes, palette: state.view.palette, showTest: state.view.showTest, ...(regression ? { pointValues: VALUE_DOMAIN } : {}) };
    if (unit === null && regression) drawOutput(canvas, { ...common, output, discretize: false, domain: VALUE_DOMAIN });
    else if (unit === null) drawOutput(canvas, { ...common, output, discretize: state.view.discretize });
    else drawOutput(canvas, { ...common, output: [Float32Array.from(unit.values)], discretize: false, domain: unit.domain });
    showing.textContent = unit === null ? '' : `Showing ${unit.name}, from ${format(unit.domain[0])} (cool) to ${format(unit.domain[1])} (warm); move off the unit for the output.`;
    if (!stale && output.length > 1) {
      const resolution = snapshot.maps.resolution;
      classMaps.querySelectorAll('canvas').forEach((c, i) => {
        if (output[i] === undefined) return;
        fitCanvas(c);
        drawHeatMap(c, output[i], resolution, { palette: state.view.palette });
      });
    }
    drawCurves(lossCanvas, accuracyCanvas, history, LOSS_MEASURES[state.network.loss]);
  }

  sync(s);
  return { element, sync, draw, canvas, speedControls };
}

/** The regression legend: the diverging scale of values, −1 to 1, shared by the map and the points. */
function valueLegendOf(palette: Palette): Node[] {
  const [lo, hi] = VALUE_DOMAIN;
  return [
    h('span', { 'data-testid': 'value-legend-low' }, String(lo).replace('-', '−')),
    h('span', { class: 'pg-ramp', style: `background:linear-gradient(to right, ${colourOf(lo, palette, VALUE_DOMAIN)}, ${colourOf(0, palette, VALUE_DOMAIN)}, ${colourOf(hi, palette, VALUE_DOMAIN)})` }),
    h('span', { 'data-testid': 'value-legend-high' }, String(hi)),
    h('span', { class: 'pg-help' }, ' value: predicted (map), to predict (points)'),
  ];
}

function legendOf(classes: number, palette: Palette): Node[] {
  if (classes > 2) {
    return [h('span', {}, 'Colour: most likely class, paler where unsure. '), ...Array.from({ length: classes }, (_, c) => h('span', { class: 'pg-key' }, h('span', { class: 'pg-swatch', style: `background:${classColour(c, classes, palette)}` }), `${c} `))];
  }
  return [
    h('span', { class: 'pg-key' }, h('span', { class: 'pg-swatch', style: `background:${classColour(0, 2, palette)}` }), 'class 0'),
    h('span', { class: 'pg-ramp', style: `background:linear-gradient(to right, ${classColour(0, 2, palette)}, #fff, ${classColour(1, 2, palette)})` }),
    h('span', { class: 'pg-key' }, h('span', { class: 'pg-swatch', style: `background:${classColour(1, 2, palette)}` }), 'class 1'),
    h('span', { class: 'pg-help' }, ' colour = P(class 1)'),
  ];
}
