/**
 * The ROI panel's plain parts: a field typed in is checked as the assumptions file would
 * check it, the assumptions save to a file that opens again, the tornado's rows run from the
 * base to each end, and the printable report holds the figures, the sources and the method.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSUMPTIONS, parseAssumptions } from '../../src/roi/assumptions';
import type { RoiBasis } from '../../src/roi/roiBasis';
import { money, roiReport } from '../../src/roi/roiReport';
import { clip, tornadoRows, TORNADO_BARS } from '../../src/components/roiCharts';
import { assumptionsFileText, editAssumption } from '../../src/components/roiForm';
import { METHOD_NOTES, roiReportHtml } from '../../src/components/roiReportHtml';

const BASIS: RoiBasis = {
  kind: 'layout', label: "today's layout <Test & Co>", store: 'S1', currency: 'USD',
  devices: { cameras: 4, rfidReaders: 1, smartShelves: 2, capex: 12_000 },
  detection: { lossCaught: 0.8, recordsCovered: 0.5 }, detectionSource: 'given',
};

describe('the assumptions form', () => {
  it('takes a value, widening the range to hold it, and marks where it came from', () => {
    const r = editAssumption(DEFAULT_ASSUMPTIONS, 'shrinkRate', 'value', '0.03');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.assumptions.shrinkRate).toMatchObject({ value: 0.03, low: 0.014, high: 0.03 });
    expect(r.assumptions.shrinkRate.source).toMatch(/^entered in the ROI panel \(the default 0\.016 share \(0\.\.1\): NRF/);
    expect(r.assumptions.grossMargin).toBe(DEFAULT_ASSUMPTIONS.grossMargin);
    // A second edit keeps the note, not a note about a note.
    const again = editAssumption(r.assumptions, 'shrinkRate', 'low', '0.02');
    expect(again.ok && again.assumptions.shrinkRate.source).toBe(r.assumptions.shrinkRate.source);
  });

  it('refuses what the assumptions file would refuse, in the same words', () => {
    const big = editAssumption(DEFAULT_ASSUMPTIONS, 'shrinkRate', 'value', '3');
    expect(!big.ok && big.problems[0]).toEqual({ path: 'shrinkRate.value', reason: 'must be at most 1, not 3' });
    const low = editAssumption(DEFAULT_ASSUMPTIONS, 'grossMargin', 'low', '0.35');
    expect(!low.ok && low.problems[0]!.path).toBe('grossMargin.low');
    const ira = editAssumption(DEFAULT_ASSUMPTIONS, 'iraWith', 'value', '0.6');
    expect(!ira.ok && ira.problems[0]!.reason).toMatch(/must be above iraWithout/);
    expect(editAssumption(DEFAULT_ASSUMPTIONS, 'shrinkRate', 'value', '').ok).toBe(false);
  });

  it('saves the assumptions as a file that opens to the same', () => {
    const r = editAssumption(DEFAULT_ASSUMPTIONS, 'horizonMonths', 'value', '48');
    if (!r.ok) throw new Error('edit');
    const back = parseAssumptions(JSON.parse(assumptionsFileText(r.assumptions)));
    expect(back.ok && back.assumptions).toEqual(r.assumptions);
  });
});

describe('the charts and the report', () => {
  const r = roiReport({ basis: BASIS, assumptions: DEFAULT_ASSUMPTIONS, stores: 5, draws: 300 });

  it('runs each tornado bar from the base to the NPV at each end of the range', () => {
    const rows = tornadoRows(r);
    expect(rows).toHaveLength(2 * Math.min(TORNADO_BARS, r.tornado.bars.length));
    expect(rows[0]).toEqual({ label: r.tornado.bars[0]!.label, end: 'low', x1: r.tornado.base, x2: r.tornado.bars[0]!.npvAtLow });
    expect(clip('Share of shrink the back room can see', 12)).toBe('Share of sh…');
    expect(clip('Shrink', 12)).toBe('Shrink');
  });

  it('prints the figures, the charts given, every assumption with its source, and the method', () => {
    const html = roiReportHtml(r, { tornado: '<svg id="t"></svg>', band: '<svg id="b"></svg>' }, '2026-11-23 10:00 UTC');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg id="t"></svg>');
    expect(html).toContain('<svg id="b"></svg>');
    expect(html).toContain(`NPV</th><td>${money(r.store.npv, 'USD', true)}`);
    expect(html).toContain('today&#39;s layout &#60;Test &#38; Co&#62;');
    expect(html).toContain('NRF, National Retail Security Survey 2023');
    expect(html).toContain('Auburn University RFID Lab');
    expect(html.match(/<tr><td>/g)!.length).toBeGreaterThanOrEqual(26);
    for (const note of METHOD_NOTES) expect(html).toContain(note.slice(0, 40).replace(/'/g, '&#39;'));
    expect(html).toContain('Rollout to 5 stores');
    expect(html).not.toContain('<script');
  });
});
