/**
 * Classroom mode in a real browser (Debian's Chromium): the playground's "share as exercise"
 * builder makes a link that hides exactly the control groups ticked, copies it (or, where the
 * page may not use the clipboard, selects it to copy by hand), and a page with controls hidden
 * has no empty box, no heading over nothing and no help text left without its control,
 * measured from the element boxes the browser laid out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HIDEABLE, parseState } from '../../lab/web/playground/url-state.js';
import { exerciseQuery } from '../../lab/web/playground/share-builder.js';
import type { Hideable } from '../../lab/web/playground/url-state.js';
import { hasBrowser, screenshot, settled, useLab } from './harness.js';

/** For each group: how many of its elements the page shows (a laid-out box, not inside anything hidden). */
function shownGroups(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const counts: Record<string, number> = {};
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('.pg [data-group]'))) {
      const box = element.getBoundingClientRect();
      const shown = element.checkVisibility({ visibilityProperty: true }) && box.width > 0 && box.height > 0;
      counts[element.dataset.group!] = (counts[element.dataset.group!] ?? 0) + (shown ? 1 : 0);
    }
    return counts;
  });
}

/**
 * What the page shows that is empty: a box (an element with children, and a border or a background) with nothing in it but
 * headings, labels and help; a heading whose box shows nothing else; help text in a box that
 * shows no control or content. Each as '<tag>.<classes> "<text>"'.
 */
function emptyThings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const shown = (e: Element) => {
      const box = e.getBoundingClientRect();
      return e.checkVisibility({ visibilityProperty: true }) && box.width > 0 && box.height > 0;
    };
    const framing = 'h1, h2, h3, h4, legend, label, .pg-help, .pg-error';
    // A <summary> is a control: a closed <details> shows it, and nothing more, by design.
    const content = 'input, select, textarea, button, canvas, svg, img, output, table, a, summary';
    /** Whether `root` shows content outside `except`: a control or picture, or text outside headings, labels and help. */
    const showsContent = (root: Element, except: Element | null = null): boolean => {
      for (const e of Array.from(root.querySelectorAll(content))) if (shown(e) && (except === null || !except.contains(e))) return true;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const parent = node.parentElement!;
        if ((node.textContent ?? '').trim() === '' || !shown(parent) || parent.closest(framing) !== null) continue;
        if (except === null || !except.contains(parent)) return true;
      }
      return false;
    };
    const describe = (e: Element) => `${e.tagName.toLowerCase()}.${Array.from(e.classList).join('.')} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
    const found: string[] = [];
    for (const e of Array.from(document.querySelectorAll('.pg *'))) {
      if (!shown(e) || e.matches(content) || e.closest(content) !== null) continue;
      const style = getComputedStyle(e);
      const framed = parseFloat(style.borderTopWidth) > 0 || parseFloat(style.borderLeftWidth) > 0 || style.backgroundColor !== 'rgba(0, 0, 0, 0)';
      // A box is a container: a coloured leaf (a legend's swatch) is a picture, not an empty box.
      if (framed && e.children.length > 0 && !e.matches(framing) && e.closest(framing) === null && !showsContent(e)) found.push(`empty box ${describe(e)}`);
      if (e.matches('h2, h3, legend') && !showsContent(e.parentElement!, e)) found.push(`heading over nothing ${describe(e)}`);
      if (e.matches('.pg-help') && !showsContent(e) && !showsContent(e.parentElement!, e)) found.push(`orphaned help ${describe(e)}`);
    }
    return found;
  });
}

describe.skipIf(!hasBrowser)('browser lab: classroom mode', () => {
  const lab = useLab();

  async function openBuilder(query = '?page=playground') {
    const opened = await lab.open(query, { width: 1366, height: 900 });
    await opened.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await settled(opened.page);
    await opened.page.getByTestId('classroom-help').click();
    await expect(opened.page.getByTestId('share-link').isVisible()).resolves.toBe(true);
    return opened;
  }

  async function tick(page: Page, groups: readonly Hideable[]): Promise<string> {
    for (const group of HIDEABLE) await page.getByTestId(`share-hide-${group}`).setChecked(groups.includes(group));
    return page.getByTestId('share-link').inputValue();
  }

  it('the help link opens the builder, which explains classroom mode and starts from what the page hides', async () => {
    const { page, errors } = await openBuilder('?page=playground&data=circle&hide=seed,lr');
    const text = await page.getByTestId('share-builder').textContent();
    expect(text).toContain('&hide=');
    expect(text).toContain('tick the controls to hide');
    const ticked = await Promise.all(HIDEABLE.map((g) => page.getByTestId(`share-hide-${g}`).isChecked()));
    expect(HIDEABLE.filter((_, i) => ticked[i])).toEqual(['lr', 'seed']);
    const link = new URL(await page.getByTestId('share-link').inputValue());
    expect(link.searchParams.get('data')).toBe('circle');
    expect(link.searchParams.get('hide')).toBe('lr,seed');
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each<[string, Hideable[]]>([
    ['a few groups', ['noise', 'layers', 'skip', 'optimizer', 'lr', 'curves']],
    ['the data panel’s groups', ['data', 'noise', 'csv', 'seed', 'edit']],
    ['every group', [...HIDEABLE]],
  ])('the builder’s link for %s hides exactly those and leaves no empty box', async (what, groups) => {
    const { page, errors } = await openBuilder('?page=playground&data=spiral');
    const link = await tick(page, groups);
    expect(new URL(link).searchParams.get('hide')).toBe(HIDEABLE.filter((g) => groups.includes(g)).join(','));
    await page.getByTestId('share-copy').click();
    await expect.poll(() => page.getByTestId('share-status').textContent()).toMatch(/^Copied/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    // Before: every group is on the page.
    const before = await shownGroups(page);
    for (const group of HIDEABLE) expect(before[group] ?? 0, `${group} shown before`).toBeGreaterThan(0);
    await page.close();

    const exercise = await lab.open(new URL(link).search, { width: 1366, height: 900 });
    await settled(exercise.page);
    const after = await shownGroups(exercise.page);
    for (const group of HIDEABLE) {
      if (groups.includes(group)) expect(after[group], `${group} hidden`).toBe(0);
      else expect(after[group], `${group} still shown`).toBeGreaterThan(0);
    }
    expect(await emptyThings(exercise.page)).toEqual([]);
    await screenshot(exercise.page, `classroom-${what.replace(/\W+/g, '-')}`);
    expect([...errors, ...exercise.errors]).toEqual([]);
    await exercise.page.close();
  });

  it('with no clipboard the link is selected in its field, with a line saying to copy it by hand', async () => {
    const { page } = await lab.open('', { width: 1366, height: 900 });
    // From the next navigation on, the page finds no navigator.clipboard (as on plain http from another machine).
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
    await page.goto(new URL('?page=playground', page.url()).href);
    await page.waitForFunction(() => window.__nnlab !== undefined);
    await settled(page);
    await page.getByTestId('classroom-help').click();
    await tick(page, ['loss']);
    await page.getByTestId('share-copy').click();
    await expect(page.getByTestId('share-status').textContent()).resolves.toMatch(/press Ctrl\+C/);
    const selection = await page.evaluate(() => {
      const field = document.activeElement as HTMLInputElement;
      return { testid: field.dataset.testid, selected: field.value.slice(field.selectionStart!, field.selectionEnd!), value: field.value };
    });
    expect(selection.testid).toBe('share-link');
    expect(selection.selected).toBe(selection.value);
    expect(new URL(selection.value).searchParams.get('hide')).toBe('loss');
    await page.close();
  });

  it('the default playground (nothing hidden) has no empty box either', async () => {
    const { page } = await lab.open('?page=playground', { width: 1366, height: 900 });
    await settled(page);
    expect(await emptyThings(page)).toEqual([]);
    await page.close();
  });
});

describe('classroom mode in the README', () => {
  it('the README’s example exercise link parses with no problem and hides the groups it names', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /`(\?page=playground[^`]*&hide=[^`]*)`/.exec(readme);
    expect(example, 'an example link with &hide= in the README').not.toBeNull();
    const { state, problems } = parseState(example![1]);
    expect(problems).toEqual([]);
    expect(state.hide.join(',')).toBe(new URLSearchParams(example![1]).get('hide'));
  });
});

describe('exerciseQuery', () => {
  it('exerciseQuery(search, groups) sets hide= to exactly those groups, in HIDEABLE order, and keeps the rest as written', () => {
    expect(exerciseQuery('?page=playground&data=xor&layers=2:tanh&hide=seed', ['lr', 'data'])).toBe('?page=playground&data=xor&layers=2:tanh&hide=data,lr');
    expect(exerciseQuery('?page=playground&hide=seed&n=50', [])).toBe('?page=playground&n=50');
    expect(parseState(exerciseQuery('?page=playground', [...HIDEABLE].reverse())).state.hide).toEqual([...HIDEABLE]);
  });
});
