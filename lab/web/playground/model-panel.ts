/**
 * The model-file panel: saves the trained weights (nnlab's model format), exports them as an
 * ONNX file (onnx-export.ts), and loads a file saved from a network of the same shape, through
 * the worker client. A bad file changes nothing and says why beside the buttons.
 */
import { ONNX_OPSET } from 'nnlab';
import { h } from '../dom.js';
import { saveBlob } from '../download.js';
import type { PlaygroundClient } from './client.js';
import { panel } from './controls.js';
import { onnxExportBlocker, onnxOfModelFile, onnxSignature } from './onnx-export.js';
import type { NetworkSpec } from './spec.js';

/** Far more than any playground model's file: a bigger one is not one. */
const MAX_MODEL_BYTES = 20_000_000;

export interface ModelPanelSource {
  client: PlaygroundClient;
  /** The epoch shown (names the saved file). */
  epoch(): number;
  /** The network, in words ("2-4-1 tanh…"), for the note after a save. */
  describe(): string;
  /** The network's shape now (whether it can be exported, and what its ONNX file reads and gives). */
  spec(): NetworkSpec;
  /** A message for the page's status line. */
  say(message: string): void;
  /** Stops play (a load replaces the weights training would go on from). */
  pause(): void;
}

export interface ModelPanel {
  element: HTMLElement;
  /** Enables Export ONNX, or disables it with the reason, for the network now. */
  sync(): void;
}

export function modelPanel({ client, epoch, describe, spec, say, pause }: ModelPanelSource): ModelPanel {
  const save = h('button', { type: 'button', 'data-testid': 'model-save' }, 'Save model…');
  const exportOnnx = h('button', { type: 'button', 'data-testid': 'model-export-onnx' }, 'Export ONNX…');
  const load = h('input', { id: 'pg-model-load', type: 'file', accept: '.json,application/json', 'data-testid': 'model-load', 'aria-describedby': 'pg-model-error' });
  const error = h('p', { class: 'pg-error', id: 'pg-model-error', role: 'alert', 'data-testid': 'model-error' });
  const note = h('p', { class: 'pg-help' });
  const element = panel(
    'Model file',
    'pg-model',
    h('p', { class: 'pg-help' }, 'Save the trained weights (nnlab’s model format) or export them as ONNX, or load a file saved from a network of the same shape.'),
    h('div', { class: 'pg-row' }, save, exportOnnx, h('label', { for: 'pg-model-load' }, 'Load model'), load),
    error,
    note,
  );
  element.dataset.group = 'model';

  save.addEventListener('click', async () => {
    if (!client.isReady) return void (error.textContent = 'Nothing to save yet: the network is not set up; try again in a moment.');
    error.textContent = '';
    try {
      const text = await client.save();
      const at = epoch();
      saveBlob(new Blob([text], { type: 'application/json' }), `nnlab-playground-epoch-${at}.json`);
      note.textContent = `Saved at epoch ${at}: ${describe()}.`;
    } catch (failure) {
      error.textContent = `Not saved: ${messageOf(failure)}`;
    }
  });
  exportOnnx.addEventListener('click', async () => {
    if (!client.isReady) return void (error.textContent = 'Nothing to export yet: the network is not set up; try again in a moment.');
    error.textContent = '';
    try {
      const onnx = onnxOfModelFile(await client.save());
      const at = epoch();
      saveBlob(new Blob([onnx.bytes.slice()], { type: 'application/octet-stream' }), `nnlab-playground-epoch-${at}.onnx`); // slice(): a view typed as ArrayBuffer-backed, as Blob requires
      note.textContent = `Exported at epoch ${at} as ONNX: ${onnxSignature(onnx.spec ?? spec())}.`;
    } catch (failure) {
      error.textContent = `Not exported: ${messageOf(failure)}`;
    }
  });
  load.addEventListener('change', async () => {
    const file = load.files?.[0];
    load.value = '';
    if (file === undefined) return;
    if (file.size > MAX_MODEL_BYTES) return void (error.textContent = `Not loaded: ${file.name} is ${(file.size / 1e6).toFixed(1)} MB, far more than a playground model.`);
    if (!client.isReady) return void (error.textContent = 'Not loaded: the network is not set up yet; try again in a moment.');
    pause();
    try {
      await client.load(await file.text());
      error.textContent = '';
      say('Model loaded: its weights replace the current ones; training continues from them.');
    } catch (failure) {
      error.textContent = `Not loaded (the current model is kept): ${messageOf(failure)}`;
    }
  });

  /** The spec last checked, as JSON: edits that keep the shape (most of them) cost nothing. */
  let checked = '';
  function sync(): void {
    const shape = spec();
    const key = JSON.stringify(shape);
    if (key === checked) return;
    checked = key;
    const blocker = onnxExportBlocker(shape);
    exportOnnx.disabled = blocker !== null;
    const why = blocker === null ? `Download the model as an ONNX file (opset ${ONNX_OPSET}), to run in onnxruntime or any ONNX runtime` : `Cannot export as ONNX: ${blocker}`;
    exportOnnx.title = why;
    exportOnnx.setAttribute('aria-description', why);
  }
  sync();
  return { element, sync };
}

function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
