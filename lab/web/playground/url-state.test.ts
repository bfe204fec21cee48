import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatState, networkSpecOf, parseLayers, parseState } from './url-state.js';
import type { PlaygroundState } from './url-state.js';
import { quantise } from './points-codec.js';

const custom: PlaygroundState = {
  ...DEFAULT_STATE,
  data: { ...DEFAULT_STATE.data, name: 'custom', classes: 3, points: [{ x0: quantise(0.2), x1: quantise(0.7), label: 2, test: true }] },
  network: { hidden: [{ units: 3, activation: 'prelu', dropout: 0.2 }], skip: 'residual', loss: 'softmax' },
  settings: { ...DEFAULT_STATE.settings, optimizer: 'adam', learningRate: 0.01, batchSize: 0, l2: 0.001, clipNorm: 5 },
  seed: 42,
  view: { discretize: true, showTest: false, palette: 'colorblind', resolution: 50, speed: '10' },
  hide: ['loss', 'optimizer'],
};

describe('parseState(formatState(state))', () => {
  it('gives back the default state', () => {
    expect(parseState(formatState(DEFAULT_STATE))).toEqual({ state: DEFAULT_STATE, problems: [] });
  });

  it('gives back custom points, a network, settings, view and hidden controls', () => {
    expect(parseState(formatState(custom))).toEqual({ state: custom, problems: [] });
  });

  it('writes a readable address starting with page=playground', () => {
    const search = formatState(custom);
    expect(search).toMatch(/^\?page=playground&data=custom&/);
    expect(search).toContain('&layers=3:prelu:0.2&skip=residual&loss=softmax&opt=adam&lr=0.01&');
    expect(search).toContain('&hide=loss,optimizer');
  });
});

describe('parseState(search) with bad values', () => {
  it('uses the defaults for an empty address', () => {
    expect(parseState('')).toEqual({ state: DEFAULT_STATE, problems: [] });
    expect(parseState('?page=playground')).toEqual({ state: DEFAULT_STATE, problems: [] });
  });

  it('keeps the default for each bad value and names the parameter', () => {
    const { state, problems } = parseState('?lr=abc&noise=2&seed=1.5&opt=rmsprop&batch=-1&res=7&palette=pink');
    expect(state).toEqual(DEFAULT_STATE);
    expect(problems.map((p) => p.key).sort()).toEqual(['batch', 'lr', 'noise', 'opt', 'palette', 'res', 'seed']);
    expect(problems.find((p) => p.key === 'lr')?.message).toBe("lr 'abc' is not a number (using 0.3)");
    expect(problems.find((p) => p.key === 'noise')?.message).toMatch(/noise must be from 0 to 0.5, got 2/);
  });

  it('reports unknown parameters and unknown hide groups', () => {
    const { problems } = parseState('?lrr=1&hide=loss,colours');
    expect(problems).toEqual([
      { key: 'address', message: "unknown setting 'lrr' in the address (ignored)" },
      { key: 'hide', message: expect.stringMatching(/'colours' is not a control group/) },
    ]);
  });

  it('falls back to generated data when custom points are broken', () => {
    const { state, problems } = parseState('?data=custom&points=1abc!');
    expect(state.data).toEqual(DEFAULT_STATE.data);
    expect(problems).toEqual([{ key: 'points', message: expect.stringMatching(/base64url/) }]);
  });

  it('switches to softmax for more than two classes, saying so when the address asked for another loss', () => {
    const { state, problems } = parseState('?data=spiral&classes=3&loss=bce');
    expect(networkSpecOf(state)).toMatchObject({ loss: 'softmax', classes: 3 });
    expect(problems).toEqual([{ key: 'loss', message: expect.stringMatching(/3 classes need softmax/) }]);
  });

  it('drops a highway skip over a PReLU layer', () => {
    const { state, problems } = parseState('?layers=2:prelu&skip=highway');
    expect(state.network.skip).toBe('none');
    expect(problems[0]).toMatchObject({ key: 'skip', message: expect.stringMatching(/cannot use PReLU/) });
  });
});

describe('parseLayers(text)', () => {
  const layers = (text: string) => {
    const problems: string[] = [];
    return { layers: parseLayers(text, (_, message) => problems.push(message)), problems };
  };
  it('reads units:activation:dropout, with tanh and 0 as defaults', () => {
    expect(layers('4,3:relu,2:leakyRelu:0.5').layers).toEqual([
      { units: 4, activation: 'tanh', dropout: 0 },
      { units: 3, activation: 'relu', dropout: 0 },
      { units: 2, activation: 'leakyRelu', dropout: 0.5 },
    ]);
    expect(layers('none').layers).toEqual([]);
  });
  it.each([
    ['9:tanh', /needs 1–8 units, got '9'/],
    ['4:swish', /activation 'swish'/],
    ['4:tanh:1', /dropout must be 0–0.9/],
    ['1,1,1,1,1,1,1', /at most 6 hidden layers/],
  ])('rejects %s', (text, message) => {
    const result = layers(text);
    expect(result.layers).toBeNull();
    expect(result.problems[0]).toMatch(message);
  });
});
