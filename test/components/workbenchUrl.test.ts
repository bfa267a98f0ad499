import { describe, expect, it } from 'vitest';
import { formatWorkbenchUrl, parseWorkbenchUrl, type WorkbenchUrlState } from '../../src/components/workbenchUrl';

describe('the workbench address', () => {
  it('round-trips every part of a shared view', () => {
    const state: WorkbenchUrlState = {
      layout: 'scenarios/layouts/gm-large.layout.json',
      source: { kind: 'scenario', name: 'theft-heavy-gm' },
      at: Date.UTC(2026, 10, 22, 22, 0, 0),
      select: { kind: 'slot', id: 'A-03-2' },
      tab: 'inspector',
      hide: ['bottom'],
      theme: 'light',
    };
    const url = formatWorkbenchUrl(state);
    expect(url).toBe('?layout=scenarios/layouts/gm-large.layout.json&source=scenario:theft-heavy-gm&at=2026-11-22T22:00:00.000Z&select=slot:A-03-2&tab=inspector&hide=bottom&theme=light');
    expect(parseWorkbenchUrl(url)).toEqual({ state, ignored: [] });
  });

  it('leaves defaults out, so a plain view has a plain address', () => {
    expect(formatWorkbenchUrl({ hide: [], theme: 'auto' })).toBe('');
    expect(formatWorkbenchUrl({ hide: [], theme: 'auto', at: null, select: null })).toBe('');
    expect(parseWorkbenchUrl('')).toEqual({ state: { hide: [], theme: 'auto' }, ignored: [] });
  });

  it('reads epoch ms and "live" for the time', () => {
    expect(parseWorkbenchUrl('?at=1700000000000').state.at).toBe(1_700_000_000_000);
    expect(parseWorkbenchUrl('?at=live').state.at).toBeNull();
    expect(parseWorkbenchUrl('?source=live').state.source).toEqual({ kind: 'live' });
    expect(parseWorkbenchUrl('?source=none').state.source).toEqual({ kind: 'none' });
    expect(parseWorkbenchUrl('?tab=roi').state.tab).toBe('roi');
    expect(parseWorkbenchUrl('?tab=nope').ignored[0]).toContain('plan, roi');
  });

  it('keeps what it can read of a bad address and names the rest', () => {
    const { state, ignored } = parseWorkbenchUrl('?at=yesterday&select=shelfA&tab=nope&hide=side,top&theme=pink&source=ftp&layout=x.json');
    expect(state).toEqual({ layout: 'x.json', hide: ['side'], theme: 'auto' });
    expect(ignored).toHaveLength(6);
    expect(ignored.join('\n')).toMatch(/at: "yesterday"/);
    expect(ignored.join('\n')).toMatch(/hide: "top"/);
    expect(parseWorkbenchUrl('?select=robot:R1').ignored[0]).toMatch(/^select:/);
  });
});
