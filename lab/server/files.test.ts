import { describe, expect, it } from 'vitest';
import { contentType, requestSegments } from './files.js';

describe('requestSegments', () => {
  it("requestSegments('/') is the page, whatever its query", () => {
    expect(requestSegments('/')).toEqual(['index.html']);
    expect(requestSegments('/?page=two-layer&hidden=3')).toEqual(['index.html']);
    expect(requestSegments('/#top')).toEqual(['index.html']);
  });

  it('requestSegments(path) splits a plain path and decodes each segment', () => {
    expect(requestSegments('/assets/page-1a2B.js')).toEqual(['assets', 'page-1a2B.js']);
    expect(requestSegments('/assets/a%20b.css?v=1')).toEqual(['assets', 'a b.css']);
  });

  it.each([
    ['/..', 'parent'],
    ['/../etc/passwd', 'parent'],
    ['/assets/../../etc/passwd', 'parent inside'],
    ['/%2e%2e/etc/passwd', 'encoded parent'],
    ['/%2E%2E%2Fetc%2Fpasswd', 'encoded parent and slashes'],
    ['/assets%2f..%2f..%2fetc', 'encoded slash'],
    ['/..%5c..%5cetc', 'encoded backslash'],
    ['/a\\..\\b', 'backslash'],
    ['/./index.html', 'dot segment'],
    ['//etc/passwd', 'empty segment (a network path)'],
    ['/assets/', 'directory'],
    ['/%00index.html', 'NUL'],
    ['/C:/Windows', 'drive letter'],
    ['/%E0%A4%A', 'malformed escape'],
    ['http://127.0.0.1/index.html', 'absolute form'],
    ['*', 'asterisk form'],
    ['index.html', 'relative'],
  ])('requestSegments(%j) is null (%s)', (target) => {
    expect(requestSegments(target)).toBeNull();
  });
});

describe('contentType', () => {
  it('contentType(file) knows the page’s file types and serves others as bytes', () => {
    expect(contentType('index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('assets/main.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentType('a.css')).toBe('text/css; charset=utf-8');
    expect(contentType('KaTeX_Main.woff2')).toBe('font/woff2');
    expect(contentType('figure.svg')).toBe('image/svg+xml');
    expect(contentType('kernel.wasm')).toBe('application/wasm');
    expect(contentType('README')).toBe('application/octet-stream');
  });
});
