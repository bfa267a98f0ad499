import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/analytics/analyses/Analysis';
import { ANALYSES } from '../../src/analytics/analyses/index';
import { NO_FILTERS, sectionInputs, sectionQuery } from '../../src/components/sectionQuery';

/** A section that writes its parameters into its SQL, so a test sees what it was given. */
const echo = (filters: Section['filters'], reads: (p: Parameters<Section['sql']>[0]) => unknown = () => ''): Section => ({
  id: 'test.echo',
  title: 'Echo',
  description: '',
  filters,
  sql: (p) => `SELECT ${JSON.stringify({ store: p.store, from: p.from, to: p.to, zone: p.zone, sku: p.sku, shift: p.shift })} -- ${String(reads(p))}`,
});
const params = (sql: string) => JSON.parse(sql.slice('SELECT '.length, sql.indexOf(' --'))) as Record<string, unknown>;

describe('sectionInputs', () => {
  it('takes the filters a section declares', () => {
    expect([...sectionInputs(echo(['range', 'zone']))]).toEqual(['range', 'zone']);
  });

  it('adds a limit (tolerance, gap, long-open minutes) when the section\'s SQL reads it', () => {
    expect([...sectionInputs(echo(['range'], (p) => p.tolerance))]).toEqual(['range', 'tolerance']);
    expect([...sectionInputs(echo([], (p) => p.gapMinutes))]).toEqual(['gapMinutes']);
    expect([...sectionInputs(echo([], (p) => p.longOpenMinutes))]).toEqual(['longOpenMinutes']);
  });
});

describe('sectionQuery', () => {
  it('passes a date as the store-local midnight of that day', () => {
    const q = sectionQuery(echo(['range']), 'store-1', { ...NO_FILTERS, from: '2026-11-16', to: '2026-11-17' }, 'America/Chicago');
    expect(q.ok && params(q.sql)).toEqual({ store: 'store-1', from: Date.UTC(2026, 10, 16, 6), to: Date.UTC(2026, 10, 17, 6) });
  });

  it('leaves out the filters a section does not take, and empty ones', () => {
    const q = sectionQuery(echo(['zone']), 's', { ...NO_FILTERS, zone: 'Z1', sku: 'SKU-1', shift: 'early', from: 'nonsense' }, 'UTC');
    expect(q.ok && params(q.sql)).toEqual({ store: 's', zone: 'Z1' });
  });

  it('gives a refused value\'s message in the form\'s words instead of throwing', () => {
    const range = sectionQuery(echo(['range']), 's', { ...NO_FILTERS, from: '2026-11-17', to: '2026-11-16' }, 'UTC');
    expect(range).toEqual({ ok: false, message: 'from must be before to' });
    const gap = sectionQuery(echo([], (p) => p.gapMinutes), 's', { ...NO_FILTERS, gapMinutes: '-5' }, 'UTC');
    expect(gap).toEqual({ ok: false, message: 'gap minutes "-5" must be a number of at least 0' });
  });

  it('builds every shipped section from the empty form', () => {
    for (const s of ANALYSES.flatMap((a) => a.sections)) expect(sectionQuery(s, 'store-1', NO_FILTERS, 'UTC')).toMatchObject({ ok: true });
  });
});
