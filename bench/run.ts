/**
 * nnlab against TensorFlow.js (cpu and wasm backends) and a hand-written loop, in one process,
 * and against NumPy and PyTorch in a python3 child process (bench/python/), where they import;
 * beside (b) what bounds it (limits/), nnlab's fit against its captured step and brain.js (f),
 * and at the end a verdict per goal of issue #15 (goals.ts).
 *
 *     npm run bench                      the table
 *     npm run --silent bench -- --json   one JSON document on stdout (progress goes to stderr;
 *                                        --silent keeps npm's own banner off stdout)
 *     npm run bench -- --only a,c        some workloads ((e) is the scale table)
 *     npm run bench -- --libs nnlab,hand some libraries
 *     npm run bench -- --quick           few repetitions: a smoke test, not a measurement
 *     npm run bench -- --clock cpu       table and ratios on process CPU time, not wall-clock time
 *     npm run bench -- --baseline old.json   also after/before ratios against a previous --json output
 *
 * Every library starts a workload from the same data and weights; the first step's value (the
 * loss, or an output checksum) is compared across libraries before anything is timed.
 */
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { FULL_TIMING, QUICK_TIMING, formatDuration, measure } from './timing.js';
import type { Timing, TimingOptions } from './timing.js';
import { LIBRARIES, PYTHON_LIBRARIES } from './workload.js';
import { relativeDifference } from './first-values.js';
import type { Library, Runner, Workload } from './workload.js';
import { xorStep, xorStepCaptured } from './workloads/xor-step.js';
import { mlpStep, mlpStepCaptured } from './workloads/mlp-step.js';
import { gridEval } from './workloads/grid-eval.js';
import { HEAT_MAPS_TARGET_MS, heatMaps } from './workloads/heat-maps.js';
import { PYTHON_TASKS, PYTHON_TWO_THREADS } from './workloads/python-tasks.js';
import { BATCHES, SCALE_LIBRARIES, SCALE_QUICK_TIMING, SCALE_TIMING, WIDTHS, cellKey, runScale, scaleRatio } from './workloads/scale.js';
import type { ScaleResult } from './workloads/scale.js';
import { runPython } from './python/python.js';
import { expOp, sigmoidOp, tanhOp } from './workloads/elementwise-ops.js';
import { formatFit, perEpochMs, runFit } from './workloads/fit-epochs.js';
import type { FitResult } from './workloads/fit-epochs.js';
import { PEAK_TIMING, formatLimits, kernelPeak, productsGflops, productsTimings, runMlpLimits } from './limits/mlp-limits.js';
import type { MlpLimits } from './limits/mlp-limits.js';
import { formatVerdict, issue15Verdicts } from './goals.js';
import type { GoalNumbers, Verdict } from './goals.js';
import { compareRuns, compareScale, formatBaseline, loadBaseline, machineRatio, nnlabRatios } from './baseline.js';
import type { BenchDocument, Change } from './baseline.js';
import { formatRatio, formatTable } from './table.js';
import { formatVersus, nnlabSources, runVersusChild, versusRatios } from './versus.js';
import type { VersusRow } from './versus.js';

const WORKLOADS: readonly Workload[] = [xorStep, xorStepCaptured, mlpStep, mlpStepCaptured, gridEval, heatMaps, sigmoidOp, tanhOp, expOp];
/** The scale table's id for --only: a grid of sizes rather than one workload. */
const SCALE_ID = 'e';
/** fit against captureStep and brain.js, per epoch: nnlab variants rather than libraries side by side. */
const FIT_ID = 'f';
const WORKLOAD_IDS = [...new Set([...WORKLOADS.map((w) => w.id), SCALE_ID, FIT_ID])].sort();
/**
 * Timing order: the hand loop first, before other libraries' allocations have grown the heap;
 * the Python libraries last (another process, so the order does not matter to them).
 */
const RUN_ORDER: readonly Library[] = ['hand', 'nnlab', 'tfjs-cpu', 'tfjs-wasm', 'numpy', 'numpy-2t', 'torch', 'torch-2t'];
/** The libraries in the ratios against nnlab (other/nnlab). */
const AGAINST_NNLAB = ['tfjs-cpu', 'tfjs-wasm', 'numpy', 'numpy-2t', 'torch', 'torch-2t'] as const;
/** The goal for (a): nnlab's XOR step within this factor of the hand loop. */
const HAND_TARGET = 5;
/** The goal for (a) with the step captured (captureStep), as issue #6 sets it. */
const CAPTURED_TARGET = 1.5;
/** Issue #6's goal for (b): the MLP step in at most this many ms (and the ratios checked beside it). */
const MLP_TARGET_MS = 2.5;

type Clock = 'wall' | 'cpu';

interface Options {
  json: boolean;
  quick: boolean;
  /** Which clock the table's medians and ratios use. */
  clock: Clock;
  only: string[];
  libs: Library[];
  /** A previous --json output to compare with (--baseline). */
  baseline?: string;
  /** Another tree to time (a) and (d) against, taking turns in one process (--versus, bench:versus). */
  versus?: string;
}

const USAGE = `usage: npm run bench -- [--json] [--quick] [--clock wall|cpu] [--only ${WORKLOAD_IDS.join(',')}] [--libs ${LIBRARIES.join(',')}] [--baseline <file.json>] [--versus <tree>]`;

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { json: false, quick: false, clock: 'wall', only: [...WORKLOAD_IDS], libs: [...LIBRARIES] };
  const list = (flag: string, value: string | undefined, allowed: readonly string[]): string[] => {
    const items = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const unknown = items.filter((s) => !allowed.includes(s));
    if (items.length === 0 || unknown.length > 0) {
      throw new Error(`${flag}: expected a comma-separated list of ${allowed.join(', ')}; got '${value ?? ''}'\n${USAGE}`);
    }
    return items;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--json') options.json = true;
    else if (flag === '--quick') options.quick = true;
    else if (flag === '--clock') {
      const clock = inline ?? argv[++i];
      if (clock !== 'wall' && clock !== 'cpu') throw new Error(`--clock: expected wall or cpu; got '${clock ?? ''}'\n${USAGE}`);
      options.clock = clock;
    }
    else if (flag === '--only') options.only = list(flag, inline ?? argv[++i], WORKLOAD_IDS);
    else if (flag === '--libs') options.libs = list(flag, inline ?? argv[++i], LIBRARIES) as Library[];
    else if (flag === '--baseline') {
      const file = inline ?? argv[++i];
      if (file === undefined || file === '') throw new Error(`--baseline: expected a file, the output of a previous --json run\n${USAGE}`);
      options.baseline = file;
    }
    else if (flag === '--versus') {
      const tree = inline ?? argv[++i];
      if (tree === undefined || tree === '') throw new Error(`--versus: expected another tree of nnlab (a checkout)\n${USAGE}`);
      options.versus = path.resolve(tree);
    }
    else throw new Error(`unknown option '${arg}'\n${USAGE}`);
  }
  return options;
}

interface Machine {
  date: string;
  node: string;
  v8: string;
  platform: string;
  cpuModel: string;
  cores: number;
  availableParallelism: number;
  memoryGiB: number;
  /** 1-minute load averages when timing started and ended: near or above the core count, other processes share the CPU and medians rise. */
  loadAverage: { start: number; end?: number };
  tfjs: string;
  tfjsWasm: { simd: boolean; multithread: boolean; threads: number };
}

/** Registers the wasm backend (its .wasm files are read from node_modules by file path) and reports its setup. */
async function initWasmBackend(): Promise<Machine['tfjsWasm']> {
  const require = createRequire(import.meta.url);
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(wasmDir + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise');
  await tf.ready();
  return {
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    multithread: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
    threads: getThreadsCount(),
  };
}

function loadAverage(): number {
  return Math.round(os.loadavg()[0] * 100) / 100;
}

function machineInfo(tfjsWasm: Machine['tfjsWasm']): Machine {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()} (${os.release()})`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: { start: loadAverage() },
    tfjs: tf.version.tfjs,
    tfjsWasm,
  };
}

interface LibraryResult {
  /** The first step's value (loss or checksum), from the shared starting point. */
  firstValue?: number;
  timing?: Timing;
  /** tfjs tensors still allocated after timing that were not there before (a leak in the step). */
  leakedTensors?: number;
  /** The Python library's version and threads. */
  version?: string;
  /** Why the library did not run (python3 cannot import it). */
  skip?: string;
  error?: string;
}

type Ratios = Record<'nnlab/hand' | `${(typeof AGAINST_NNLAB)[number]}/nnlab`, number | null>;

interface WorkloadResult {
  id: string;
  title: string;
  description: string;
  results: Partial<Record<Library, LibraryResult>>;
  /** Ratios of medians on each clock (null where either side did not run); > 1 means the denominator is faster. */
  ratios: Record<Clock, Ratios>;
  /** Libraries whose first value differs from the reference library's beyond the workload's tolerance. */
  mismatches: string[];
  /** Values one iteration computes (the elementwise rows): the report also gives time per value. */
  valuesPerStep?: number;
}

async function useBackend(library: Library): Promise<void> {
  if (library !== 'tfjs-cpu' && library !== 'tfjs-wasm') return;
  const backend = library === 'tfjs-cpu' ? 'cpu' : 'wasm';
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tfjs: could not switch to the ${backend} backend`);
  await tf.ready();
}

function createRunner(workload: Workload, library: Library): Runner | undefined {
  if (library === 'nnlab') return workload.nnlab();
  if (library === 'hand') return workload.hand?.();
  return workload.tfjs();
}

function runPythonLibrary(workload: Workload, library: Library, timing: TimingOptions): LibraryResult | undefined {
  const python = PYTHON_LIBRARIES[library]!;
  if (python.threads > 1 && !(workload.pythonTwoThreads ?? PYTHON_TWO_THREADS.includes(workload.id))) return undefined;
  const task = workload.python?.() ?? PYTHON_TASKS[workload.id]?.();
  if (task === undefined) return undefined;
  const r = runPython(python.library, python.threads, task, timing);
  return { firstValue: r.firstValue, timing: r.timing, version: r.version, skip: r.skip, error: r.error };
}

async function runLibrary(workload: Workload, library: Library, timing: TimingOptions): Promise<LibraryResult | undefined> {
  if (PYTHON_LIBRARIES[library] !== undefined) return runPythonLibrary(workload, library, timing);
  await useBackend(library);
  let runner: Runner | undefined;
  try {
    runner = createRunner(workload, library);
    if (runner === undefined) return undefined;
    const firstValue = runner.step();
    const tensorsBefore = tf.memory().numTensors;
    const result = measure(() => runner!.step(), timing);
    const leaked = tf.memory().numTensors - tensorsBefore;
    return { firstValue, timing: result, ...(leaked > 0 ? { leakedTensors: leaked } : {}) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    runner?.dispose?.();
  }
}

function median(result: LibraryResult | undefined, clock: Clock): number | undefined {
  const t = result?.timing;
  return t === undefined ? undefined : clock === 'wall' ? t.medianMs : t.cpuMedianMs;
}

function ratiosOf(results: WorkloadResult['results'], clock: Clock): Ratios {
  const ratio = (num: Library, den: Library): number | null => {
    const [a, b] = [median(results[num], clock), median(results[den], clock)];
    return a === undefined || b === undefined ? null : a / b;
  };
  const ratios = { 'nnlab/hand': ratio('nnlab', 'hand') } as Ratios;
  for (const library of AGAINST_NNLAB) ratios[`${library}/nnlab`] = ratio(library, 'nnlab');
  return ratios;
}

/** Compares first values against the hand loop's (or nnlab's, or the first library that ran). */
function mismatchesOf(workload: Workload, results: WorkloadResult['results']): string[] {
  const withValue = RUN_ORDER.filter((lib) => results[lib]?.firstValue !== undefined);
  if (withValue.length < 2) return [];
  const reference = withValue[0];
  const expected = results[reference]!.firstValue!;
  return withValue.slice(1).flatMap((lib) => {
    const actual = results[lib]!.firstValue!;
    const relative = relativeDifference(actual, expected);
    return relative <= workload.tolerance || (Number.isNaN(actual) && Number.isNaN(expected))
      ? []
      : [`${lib} first value ${actual} differs from ${reference}'s ${expected} (relative ${relative.toExponential(2)} > ${workload.tolerance})`];
  });
}

async function runWorkload(workload: Workload, options: Options, log: (line: string) => void): Promise<WorkloadResult> {
  const timing = options.quick ? QUICK_TIMING : FULL_TIMING;
  const results: WorkloadResult['results'] = {};
  for (const library of RUN_ORDER) {
    if (!options.libs.includes(library)) continue;
    if (library === 'hand' && workload.hand === undefined) continue;
    if (workload.libraries !== undefined && !workload.libraries.includes(library)) continue;
    log(`  (${workload.id}) ${library}…`);
    const result = await runLibrary(workload, library, timing);
    if (result !== undefined) results[library] = result;
  }
  return {
    id: workload.id,
    title: workload.title,
    description: workload.description,
    results,
    ratios: { wall: ratiosOf(results, 'wall'), cpu: ratiosOf(results, 'cpu') },
    mismatches: mismatchesOf(workload, results),
    ...(workload.valuesPerStep === undefined ? {} : { valuesPerStep: workload.valuesPerStep }),
  };
}

// ---------------------------------------------------------------------------------------------
// Text output

function cell(result: LibraryResult | undefined, clock: Clock): string {
  if (result === undefined) return '—';
  if (result.error !== undefined) return 'error';
  if (result.skip !== undefined) return 'skipped';
  return formatDuration(median(result, clock)!);
}

/** The sections beside the main table, each present when its workload ran. */
interface Extras {
  scale?: ScaleResult;
  limits?: MlpLimits;
  fit?: FitResult;
  verdicts: Verdict[];
  baseline?: BaselineComparison;
  versus?: { tree: string; rows: VersusRow[] };
}

interface BaselineComparison {
  file: string;
  date: string;
  changes: Change[];
  scale: Record<string, Record<string, number>>;
}

function report(machine: Machine, options: Options, workloads: readonly WorkloadResult[], extras: Extras): string {
  const { clock } = options;
  const { scale } = extras;
  const out: string[] = [];
  out.push(`nnlab bench, ${machine.date}${options.quick ? '  (--quick: a smoke test, not a measurement)' : ''}`);
  out.push(`node ${machine.node} (V8 ${machine.v8}), ${machine.platform}`);
  out.push(
    `cpu ${machine.cpuModel}, ${machine.cores} cores (available parallelism ${machine.availableParallelism}), ${machine.memoryGiB} GiB, ` +
      `load average ${machine.loadAverage.start} → ${machine.loadAverage.end}`,
  );
  const w = machine.tfjsWasm;
  out.push(
    `tfjs ${machine.tfjs}; wasm backend: ${w.threads} thread${w.threads === 1 ? '' : 's'} (default), SIMD ${w.simd ? 'on' : 'off'}, ` +
      `multithreading ${w.multithread ? 'available' : 'unavailable (tfjs disables it in Node)'}`,
  );
  out.push('');
  out.push(`median ${clock === 'wall' ? 'wall-clock' : 'process CPU'} time per iteration:`);
  out.push(
    formatTable(
      ['workload', 'nnlab', 'tfjs-cpu', 'tfjs-wasm', 'numpy', 'torch', 'hand loop', 'nnlab/hand', ...AGAINST_NNLAB.map((l) => `${l}/nnlab`)],
      workloads.map((wl) => [
        `(${wl.id}) ${wl.title}`,
        cell(wl.results.nnlab, clock),
        cell(wl.results['tfjs-cpu'], clock),
        cell(wl.results['tfjs-wasm'], clock),
        cell(wl.results.numpy, clock),
        cell(wl.results.torch, clock),
        cell(wl.results.hand, clock),
        formatRatio(wl.ratios[clock]['nnlab/hand']),
        ...AGAINST_NNLAB.map((l) => formatRatio(wl.ratios[clock][`${l}/nnlab`])),
      ]),
    ),
  );
  out.push(
    'ratios of medians: nnlab/hand > 1 means nnlab is slower than the hand loop; other/nnlab > 1 means nnlab is faster than the other library.\n' +
      'numpy and torch run on 1 thread; numpy-2t and torch-2t on 2 (only where the workload is matmul-bound), in a python3 child process.',
  );
  out.push('');
  out.push(
    'spread per iteration (wall-clock p10 / median / p90; mean = total time / steps, GC included; median on process CPU time),\n' +
      'batches × steps per batch, and the first step\'s value (loss; Σ|output| for (c); Σ|every map value| for (d)):',
  );
  const detailRows: string[][] = [];
  for (const wl of workloads) {
    for (const library of RUN_ORDER) {
      const r = wl.results[library];
      if (r === undefined) continue;
      const t = r.timing;
      const time = (ms: number | undefined): string => (ms === undefined ? '—' : formatDuration(ms));
      detailRows.push([
        // A captured variant's nnlab row says so: it shares its workload's letter.
        `(${wl.id}) ${library}${library === 'nnlab' && /captured$/.test(wl.title) ? ' captured' : ''}`,
        time(t?.p10Ms),
        time(t?.medianMs),
        time(t?.p90Ms),
        time(t?.meanMs),
        time(t?.cpuMedianMs),
        t ? `${t.samples} × ${t.itersPerSample}` : '—',
        r.firstValue === undefined ? '—' : r.firstValue.toPrecision(7),
      ]);
      if (r.skip !== undefined) detailRows[detailRows.length - 1][1] = 'skipped';
    }
  }
  out.push(formatTable(['run', 'p10', 'median', 'p90', 'mean', 'CPU median', 'batches', 'first value'], detailRows));
  const perValue = workloads.filter((wl) => wl.valuesPerStep !== undefined);
  if (perValue.length > 0) {
    out.push('', `time per value (median / values per call), and against nnlab (other/nnlab):`);
    for (const wl of perValue) {
      const cells = RUN_ORDER.flatMap((library) => {
        const ms = median(wl.results[library], clock);
        if (ms === undefined) return [];
        const ratio = library === 'nnlab' ? '' : ` (${formatRatio((wl.ratios[clock] as Record<string, number | null>)[`${library}/nnlab`])})`;
        return [`${library} ${((ms * 1e6) / wl.valuesPerStep!).toPrecision(3)} ns${ratio}`];
      });
      out.push(`  (${wl.id}) ${wl.title}: ${cells.join(', ')}`);
    }
  }
  if (extras.limits !== undefined) out.push('', ...formatLimits(extras.limits, clock));
  if (extras.fit !== undefined) out.push('', ...formatFit(extras.fit, clock));

  const notes: string[] = [];
  const handRatio = workloads.find((wl) => wl.id === 'a')?.ratios[clock]['nnlab/hand'];
  if (handRatio !== undefined && handRatio !== null) {
    notes.push(`target (a): nnlab within ${HAND_TARGET}× of the hand loop: ${handRatio <= HAND_TARGET ? 'met' : 'NOT met'} (${formatRatio(handRatio)})`);
  }
  // The captured row against the first row's hand loop: a second instance of hand()'s closures
  // loses V8's specialisation on their context and runs slower, which would flatter the ratio.
  const [eagerRow, capturedRow] = workloads.filter((wl) => wl.id === 'a');
  const capturedMs = median(capturedRow?.results.nnlab, clock);
  const handMs = median(eagerRow?.results.hand, clock);
  if (capturedMs !== undefined && handMs !== undefined) {
    const ratio = capturedMs / handMs;
    notes.push(
      `target (a, captured): captureStep within ${CAPTURED_TARGET}× of the hand loop (first row's): ` +
        `${ratio <= CAPTURED_TARGET ? 'met' : 'NOT met'} (${formatRatio(ratio)})`,
    );
  }
  // Issue #6's goal 2, for each (b) row: eager, then captured.
  for (const row of workloads.filter((wl) => wl.id === mlpStep.id)) {
    const ms = median(row.results.nnlab, clock);
    if (ms === undefined) continue;
    const checks = [`≤ ${MLP_TARGET_MS} ms: ${ms <= MLP_TARGET_MS ? 'met' : 'NOT met'} (${formatDuration(ms)})`];
    const against = (library: string, goal: string, ok: (ratio: number) => boolean): void => {
      const ratio = (row.ratios[clock] as Record<string, number | null | undefined>)[`${library}/nnlab`];
      if (ratio !== undefined && ratio !== null) checks.push(`${goal}: ${ok(ratio) ? 'met' : 'NOT met'} (${library}/nnlab ${formatRatio(ratio)})`);
    };
    against('numpy', 'faster than NumPy', (r) => r > 1);
    against('torch', 'within 2× of PyTorch', (r) => r >= 0.5);
    against('tfjs-wasm', '> 15× faster than tfjs-wasm', (r) => r > 15);
    notes.push(`target (b${row.title === mlpStepCaptured.title ? ', captured' : ''}): ${checks.join('; ')}`);
  }
  const mapsMs = median(workloads.find((wl) => wl.id === heatMaps.id)?.results.nnlab, clock);
  if (mapsMs !== undefined) {
    notes.push(`target (d): all heat maps in under ${HEAT_MAPS_TARGET_MS} ms: ${mapsMs < HEAT_MAPS_TARGET_MS ? 'met' : 'NOT met'} (${formatDuration(mapsMs)})`);
  }
  if (Math.max(machine.loadAverage.start, machine.loadAverage.end ?? 0) > machine.availableParallelism / 2) {
    notes.push(
      `busy machine (load average above ${machine.availableParallelism / 2}): times may be inflated and spread out; ` +
        'compare p10s, or rerun on a quiet machine.',
    );
  }
  for (const wl of workloads) {
    for (const m of wl.mismatches) notes.push(`MISMATCH (${wl.id}): ${m}`);
    for (const [library, r] of Object.entries(wl.results)) {
      if (r.skip !== undefined) notes.push(`SKIPPED (${wl.id}) ${library}: ${r.skip}`);
      if (r.error !== undefined) notes.push(`ERROR (${wl.id}) ${library}: ${r.error}`);
      if (r.leakedTensors !== undefined) notes.push(`LEAK (${wl.id}) ${library}: ${r.leakedTensors} tfjs tensors left behind while timing`);
    }
  }
  const versions = [...new Set(workloads.flatMap((wl) => Object.values(wl.results).flatMap((r) => (r.version === undefined ? [] : [r.version]))))];
  if (versions.length > 0) notes.push(`python: ${versions.join('; ')}`);
  for (const m of extras.fit?.mismatches ?? []) notes.push(`MISMATCH (f): ${m}`);
  for (const [variant, r] of Object.entries(extras.fit?.results ?? {})) {
    if (r.skip !== undefined) notes.push(`SKIPPED (f) ${variant}: ${r.skip}`);
    if (r.error !== undefined) notes.push(`ERROR (f) ${variant}: ${r.error}`);
  }
  for (const t of extras.limits === undefined ? [] : productsTimings(extras.limits)) {
    if (t.error !== undefined) notes.push(`ERROR (b) products (${t.operands} operands) on ${t.threads} thread(s): ${t.error}`);
  }
  for (const [name, t] of Object.entries(extras.limits?.steps ?? {})) {
    if (t.error !== undefined) notes.push(`ERROR (b) ${name} step, timed taking turns: ${t.error}`);
  }
  if (scale !== undefined) out.push('', ...scaleReport(scale, clock));
  if (extras.versus !== undefined) out.push('', ...formatVersus(extras.versus.rows, extras.versus.tree));
  if (extras.baseline !== undefined) {
    const b = extras.baseline;
    out.push('', ...formatBaseline(b.file, b.date, b.changes, b.scale));
  }
  if (notes.length > 0) out.push('', ...notes);
  out.push('', 'issue #15 goals (ratios of medians in this run):', ...extras.verdicts.map(formatVerdict));
  return out.join('\n');
}

function scaleReport(scale: ScaleResult, clock: Clock): string[] {
  const out: string[] = [];
  const libs = SCALE_LIBRARIES.filter((l) => scale.results[l] !== undefined);
  const time = (e: { timing?: Timing; skip?: string; error?: string } | undefined): string =>
    e === undefined ? '—' : e.error !== undefined ? 'error' : e.skip !== undefined ? 'skipped' : e.timing === undefined ? '—' : formatDuration(clock === 'wall' ? e.timing.medianMs : e.timing.cpuMedianMs);
  out.push(
    `(e) scale: one training step of a width → width ReLU → 10 MLP (softmax cross entropy, SGD), median ${clock === 'wall' ? 'wall-clock' : 'process CPU'} time;`,
    '    rows are batch sizes, columns widths; ratios are other/nnlab (> 1: nnlab faster):',
  );
  for (const l of libs) {
    out.push(formatTable([`${l}: batch`, ...WIDTHS.map((w) => `width ${w}`)], BATCHES.map((batch) => [String(batch), ...WIDTHS.map((w) => time(scale.results[l]?.[cellKey(batch, w)]))])));
    if (l !== 'nnlab' && scale.results.nnlab !== undefined) {
      const ratioRows = BATCHES.map((batch) => [String(batch), ...WIDTHS.map((w) => formatRatio(scaleRatio(scale.results.nnlab, scale.results[l], cellKey(batch, w))))]);
      out.push(formatTable([`${l}/nnlab`, ...WIDTHS.map((w) => `width ${w}`)], ratioRows));
      for (const line of scale.crossovers[l] ?? []) out.push(`  crossover ${l} vs nnlab, ${line}`);
    }
    out.push('');
  }
  for (const m of scale.mismatches) out.push(`MISMATCH (e): ${m}`);
  for (const l of libs) {
    const skip = Object.values(scale.results[l] ?? {}).find((e) => e.skip !== undefined)?.skip;
    if (skip !== undefined) out.push(`SKIPPED (e) ${l}: ${skip}`);
    const error = Object.entries(scale.results[l] ?? {}).find(([, e]) => e.error !== undefined);
    if (error !== undefined) out.push(`ERROR (e) ${l} at ${error[0]}: ${error[1].error}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  if (options.json) {
    // stdout carries the JSON document alone: anything a library logs goes to stderr.
    console.log = console.info = console.debug = (...args: unknown[]) => log(args.map(String).join(' '));
  }
  const wasm = await initWasmBackend();
  await tf.setBackend('cpu');
  const machine = machineInfo(wasm);
  log(`timing ${options.only.join(', ')} with ${options.libs.join(', ')}${options.quick ? ' (quick)' : ''}`);
  // Read before anything is timed: a wrong file is a usage error, not a wasted run.
  const baselineDoc = options.baseline === undefined ? undefined : loadBaseline(options.baseline);
  if (options.versus !== undefined) nnlabSources(options.versus);
  const timing = options.quick ? QUICK_TIMING : FULL_TIMING;
  const withNnlab = options.libs.includes('nnlab');
  const results: WorkloadResult[] = [];
  let limits: MlpLimits | undefined;
  for (const workload of WORKLOADS) {
    if (!options.only.includes(workload.id)) continue;
    results.push(await runWorkload(workload, options, log));
    // Right after (b)'s rows, on the same heap and threads as they ran.
    if (workload === mlpStepCaptured && withNnlab) limits = await runMlpLimits(timing, options.quick ? QUICK_TIMING : PEAK_TIMING, log);
  }
  const fit = options.only.includes(FIT_ID) && withNnlab ? runFit(timing, log) : undefined;
  const scale = options.only.includes(SCALE_ID)
    ? await runScale(options.libs, options.quick ? SCALE_QUICK_TIMING : SCALE_TIMING, useBackend, log)
    : undefined;
  // In a child process of its own: two bundles of nnlab beside this one's would not run alike.
  const versus = options.versus === undefined ? undefined : runVersusChild(options.versus, options.quick, log);
  machine.loadAverage.end = loadAverage();
  const document = {
    schema: 'nnlab-bench/1',
    machine,
    options: { quick: options.quick, clock: options.clock, only: options.only, libs: options.libs, timing, ...(options.baseline === undefined ? {} : { baseline: options.baseline }) },
    workloads: results,
    ...(scale === undefined ? {} : { scale }),
    ...(limits === undefined ? {} : { limits }),
    ...(fit === undefined ? {} : { fit }),
    ...(versus === undefined ? {} : { versus }),
  };
  const baseline = baselineDoc === undefined ? undefined : {
    file: options.baseline!,
    date: baselineDoc.machine.date,
    changes: compareRuns(baselineDoc, document as BenchDocument, options.clock),
    scale: compareScale(baselineDoc, document as BenchDocument, options.clock),
  };
  const verdicts = issue15Verdicts(goalNumbers(results, limits, fit, baseline?.changes, versus?.rows, options.clock));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...document, goals: verdicts, ...(baseline === undefined ? {} : { baseline }) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${report(machine, options, results, { scale, limits, fit, verdicts, baseline, versus })}\n`);
  }
  const failed =
    results.some((wl) => wl.mismatches.length > 0 || Object.values(wl.results).some((r) => r.error !== undefined)) ||
    (scale !== undefined && (scale.mismatches.length > 0 || Object.values(scale.results).some((entries) => Object.values(entries).some((e) => e.error !== undefined)))) ||
    (fit !== undefined && (fit.mismatches.length > 0 || Object.values(fit.results).some((r) => r.error !== undefined))) ||
    (limits !== undefined && [...productsTimings(limits), ...Object.values(limits.steps)].some((t) => t.error !== undefined)) ||
    (versus !== undefined && versus.rows.some((r) => r.error !== undefined));
  if (failed) process.exitCode = 1;
}

/** The numbers issue #15's goals judge, from this run's rows (medians on `clock`). */
function goalNumbers(
  results: readonly WorkloadResult[], limits: MlpLimits | undefined, fit: FitResult | undefined, changes: readonly Change[] | undefined,
  versusRows: readonly VersusRow[] | undefined, clock: Clock,
): GoalNumbers {
  const row = (title: string): WorkloadResult | undefined => results.find((wl) => wl.title === title);
  const grid = row(gridEval.title)?.results;
  const captured = row(mlpStepCaptured.title)?.results;
  const productsMs = (t: MlpLimits['products']['oneThread'] | undefined): number | undefined => (clock === 'wall' ? t?.timing?.medianMs : t?.timing?.cpuMedianMs);
  const stepMs = (t: MlpLimits['steps']['eager']): number | undefined => (clock === 'wall' ? t.timing?.medianMs : t.timing?.cpuMedianMs);
  return {
    grid: { nnlab: median(grid?.nnlab, clock), numpy: median(grid?.numpy, clock), tfjsWasm: median(grid?.['tfjs-wasm'], clock) },
    mlp: {
      // Each ratio's two steps as timed taking turns (see limits/), where measured: the eager
      // and captured steps with each other, the captured step with its products.
      eager: limits === undefined ? median(row(mlpStep.title)?.results.nnlab, clock) : stepMs(limits.steps.eager),
      captured: limits === undefined ? median(captured?.nnlab, clock) : stepMs(limits.steps.captured),
      capturedBesideProducts: limits === undefined ? median(captured?.nnlab, clock) : stepMs(limits.steps.besideProducts),
      products: productsMs(limits?.products.stepThreads),
      productsOneThreadGflops: limits === undefined ? undefined : productsGflops(limits, productsMs(limits.products.oneThread)),
      peakGflops: limits === undefined ? undefined : kernelPeak(limits)?.gflops,
      numpy: median(captured?.numpy, clock),
      capturedRow: median(captured?.nnlab, clock),
    },
    fit: fit === undefined ? undefined : { fit: perEpochMs(fit.results.fit, fit.epochsPerCall, clock), captureStep: perEpochMs(fit.results.captureStep, fit.epochsPerCall, clock) },
    // Taking turns with the other tree in one process where measured (--versus), else against a
    // run of another day, over the machine's own change.
    notSlower: versusRows !== undefined ? {
      a: versusRatios(versusRows, 'a'),
      d: versusRatios(versusRows, 'd'),
      inTurns: true,
    } : changes === undefined ? undefined : {
      a: nnlabRatios(changes, 'a'),
      d: nnlabRatios(changes, 'd'),
      machine: { a: machineRatio(changes, 'a'), d: machineRatio(changes, 'd') },
    },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
