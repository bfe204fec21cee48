import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { quantise } from './points-codec.js';

const options = { seed: 1, testFraction: 0 };

describe('parseCsv(text, { seed, testFraction })', () => {
  it('reads x0,x1,label lines with or without a header', () => {
    const expected = [{ x0: quantise(0.1), x1: quantise(0.2), label: 0, test: false }, { x0: quantise(0.9), x1: quantise(0.8), label: 1, test: false }];
    expect(parseCsv('0.1,0.2,0\n0.9,0.8,1\n', options)).toEqual({ points: expected, classes: 2, notes: [] });
    expect(parseCsv('x0,x1,label\r\n0.1,0.2,0\r\n0.9,0.8,1', options)).toEqual({ points: expected, classes: 2, notes: [] });
  });

  it('finds columns by header name in any order, and other separators', () => {
    const result = parseCsv('label;y;x\n1;0.25;0.75\n', options);
    expect(result).toEqual({ points: [{ x0: quantise(0.75), x1: quantise(0.25), label: 1, test: false }], classes: 2, notes: [] });
    expect(parseCsv('0.5 0.5 2\n# a comment\n\n0.1\t0.1\t0', options)).toMatchObject({ classes: 3 });
  });

  it('reads a train/test column', () => {
    const result = parseCsv('x0,x1,label,split\n0.1,0.1,0,train\n0.2,0.2,1,test', options);
    expect(result).toMatchObject({ points: [{ test: false }, { test: true }] });
  });

  it('splits by the test share with the seed when there is no split column', () => {
    const text = Array.from({ length: 20 }, (_, i) => `${i / 20},0.5,${i % 2}`).join('\n');
    const result = parseCsv(text, { seed: 1, testFraction: 0.25 });
    expect('points' in result && result.points.filter((p) => p.test).length).toBe(5);
    expect(parseCsv(text, { seed: 1, testFraction: 0.25 })).toEqual(result);
  });

  it('reads −1/1 labels as 0/1, with a note', () => {
    expect(parseCsv('0,0,-1\n1,1,1', options)).toMatchObject({ points: [{ label: 0 }, { label: 1 }], notes: [expect.stringMatching(/−1\/1/)] });
  });

  it.each([
    ['', /empty/],
    ['x0,x1,label', /no data lines/],
    ['a,b,c\n1,2,3', /not numbers, nor a header/],
    ['x0,x1,colour\n0,0,1', /no column label/],
    ['0.1,0.2\n', /line 1: expected 3 fields/],
    ['0.1,abc,0', /line 1: x1 'abc' is not a number/],
    ['0.1,1.5,0', /line 1: x1 = 1.5 is outside \[0, 1\]/],
    ['0.1,0.5,0.5', /line 1: label 0.5 is not a whole number/],
    ['0.1,0.5,9', /line 1: class 9 is out of range/],
    ['0.1,0.5,0,maybe', /split 'maybe' should be train or test/],
    ['0.1,0.5,0,test', /at least one training point/],
  ])('rejects %j with a message naming the problem', (text, message) => {
    const result = parseCsv(text, options);
    expect(result).toHaveProperty('error', expect.stringMatching(message));
  });

  it('rejects more than 1000 points', () => {
    const text = Array.from({ length: 1001 }, () => '0.5,0.5,1').join('\n');
    expect(parseCsv(text, options)).toHaveProperty('error', expect.stringMatching(/1001 points.*at most 1000/));
  });

  it('reports the first three bad lines and counts the rest', () => {
    const text = ['x,1,0', 'x,1,0', 'x,1,0', 'x,1,0', '0,0,0'].join('\n');
    expect(parseCsv(text, options)).toHaveProperty('error', expect.stringMatching(/line 1.*line 2.*line 3.*and 1 more/));
  });
});
