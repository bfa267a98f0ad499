/**
 * `twin simulate --pilot` and `twin pilot`: a small pilot (2 test and 2 control stores of a
 * 9-slot layout, 3 days before and 3 after, thefts cut by 80 % in the test stores) is written
 * store by store with its ids and pilot.json, and the difference-in-differences over its
 * recordings finds shrink falling in the test stores; a second pilot cuts record errors
 * instead, and record accuracy rises in its test stores.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writePilotScenario } from './pilotFixture';
import { twin } from './runTwin';

const STORES = ['store-017-t1', 'store-017-t2', 'store-017-c1', 'store-017-c2'];

describe('a simulated pilot', () => {
  let dir: string;
  let scenario: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twin-pilot-'));
    scenario = writePilotScenario(dir);
    const r = await twin('simulate', '--scenario', scenario, '--pilot', '2+2', '--pre', '3', '--post', '3', '--theft-cut', '0.8', '--out', join(dir, 'pilot'));
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('writes each store with its own id, and pilot.json with the groups, periods and effect', () => {
    const pilot = JSON.parse(readFileSync(join(dir, 'pilot', 'pilot.json'), 'utf8'));
    expect(pilot).toMatchObject({
      version: 1, tests: STORES.slice(0, 2), controls: STORES.slice(2),
      pre: { from: '2026-11-16', to: '2026-11-18', days: 3 }, post: { from: '2026-11-19', to: '2026-11-21', days: 3 },
      effect: { theftCut: 0.8 },
    });
    for (const s of pilot.stores as { store: string; group: string; dir: string; volume: number; theft: { pre: unknown }; theftWithoutCut?: { pre: unknown } }[]) {
      const d = join(dir, 'pilot', s.dir);
      for (const f of ['layout.json', 'recording.jsonl', 'truth.jsonl', 'summary.json']) expect(existsSync(join(d, f)), `${s.store}/${f}`).toBe(true);
      expect(JSON.parse(readFileSync(join(d, 'layout.json'), 'utf8')).store).toBe(s.store);
      const topics = readFileSync(join(d, 'recording.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { topic: string }).topic);
      expect(topics.every((t) => t.startsWith(`backroom/v1/${s.store}/`))).toBe(true);
      const summary = JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8'));
      expect(summary).toMatchObject({ store: s.store, days: 6 });
      expect(summary.theftCut !== undefined).toBe(s.group === 'test');
      // Common random numbers: before the cut, a test store and its counterfactual are the same store.
      if (s.theftWithoutCut) expect(s.theftWithoutCut.pre).toEqual(s.theft.pre);
    }
    // Pairs by size: test i and control i at the same volume, 0.8 and 1.2 of the scenario's.
    expect(pilot.stores.map((s: { volume: number }) => s.volume)).toEqual([0.8, 1.2, 0.8, 1.2]);
    expect(pilot.effect.realisedTheftChange).toBeLessThan(-0.5);
  });

  it('twin pilot DIR finds shrink falling in the test stores (JSON)', async () => {
    const r = await twin('pilot', join(dir, 'pilot'), '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.stores.map((s: { store: string }) => s.store)).toEqual(STORES);
    expect(out.stores.every((s: { pre: number[]; post: number[] }) => s.pre.length === 3 && s.post.length === 3)).toBe(true);
    expect(out.injected.theftCut).toBe(0.8);
    expect(out.result.ok).toBe(true);
    expect(out.result.relative.estimate).toBeLessThan(0);
    expect(out.result.relative.low).toBeLessThanOrEqual(out.result.relative.estimate);
    expect(out.result.verdict).toMatch(/^Shrink at cost (fell|changed)/);
    expect(out.result.resample).toBe('days');
  }, 120_000);

  it('twin pilot --test --control with periods prints the verdict as a table', async () => {
    const p = (s: string) => join(dir, 'pilot', s);
    const r = await twin('pilot', '--test', p(STORES[0]!), '--test', p(STORES[1]!), '--control', p(STORES[2]!), '--control', p(STORES[3]!),
      '--pre', '2026-11-16..2026-11-18', '--post', '2026-11-19..2026-11-21');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Shrink at cost (fell|changed) by /m);
    expect(r.stdout).toContain('relative change');
    expect(r.stdout).toContain('matched control');
  }, 120_000);

  it('twin pilot --metric record-accuracy: each day is the variance analysis as of that day\'s end, higher is better', async () => {
    const r = await twin('pilot', join(dir, 'pilot'), '--metric', 'record-accuracy', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.result.verdict).toMatch(/^Record accuracy /);
    const first = out.stores[0] as { store: string; dir: string; pre: number[]; post: number[] };
    expect([...first.pre, ...first.post].every((v) => v >= 0 && v <= 100)).toBe(true);
    // The same figure twin analyze gives for the store as of the end of the pilot's second day.
    const a = await twin('analyze', '--layout', join(first.dir, 'layout.json'), '--recording', join(first.dir, 'recording.jsonl'),
      '--analysis', 'variance.accuracy', '--to', '2026-11-18', '--format', 'json');
    expect(a.code, a.stderr).toBe(0);
    expect(Number(JSON.parse(a.stdout)['variance.accuracy'][0].accuracy_pct)).toBe(first.pre[1]);
  }, 120_000);

  it('--error-cut calls off the test stores\' record errors, and twin pilot --metric record-accuracy finds their records truer', async () => {
    // Many errors, so that three days show them in every store.
    const errors = writePilotScenario(dir, 'errors', 0.15);
    const s = await twin('simulate', '--scenario', errors, '--pilot', '2+2', '--pre', '3', '--post', '3', '--error-cut', '1', '--out', join(dir, 'errors'));
    expect(s.code, s.stderr).toBe(0);
    const pilot = JSON.parse(readFileSync(join(dir, 'errors', 'pilot.json'), 'utf8'));
    expect(pilot.effect).toMatchObject({ theftCut: 0, errorCut: 1, realisedErrorChange: -1 });
    for (const st of pilot.stores as { group: string; recordErrors: { pre: number; post: number }; recordErrorsWithoutCut?: { pre: number; post: number } }[]) {
      if (st.group === 'control') expect(st.recordErrors.post).toBeGreaterThan(0);
      else {
        expect(st.recordErrors.post).toBe(0);
        expect(st.recordErrorsWithoutCut!.pre).toBe(st.recordErrors.pre);
        expect(st.recordErrorsWithoutCut!.post).toBeGreaterThan(0);
      }
    }
    const [r, json] = await Promise.all([
      twin('pilot', join(dir, 'errors'), '--metric', 'record-accuracy'),
      twin('pilot', join(dir, 'errors'), '--metric', 'record-accuracy', '--format', 'json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Record accuracy (rose|changed) by /m);
    expect(r.stdout).toMatch(/^Simulated: unscanned moves and misplaced putaways in the test stores cut by 100 % from 2026-11-19; their count changed -100/m);
    const j = JSON.parse(json.stdout);
    // Test stores' records stay true while the controls' drift: accuracy up against the controls.
    expect(j.result.absolute.estimate).toBeGreaterThan(0);
    // Accuracy is a level, its days not independent: stores are resampled, not days (shrink with two stores a side resamples days).
    expect(j.result.resample).toBe('stores');
    expect(j.result.method).toMatch(/bootstraps of stores/);
    expect(j.result.warnings.map((w: { id: string }) => w.id)).toContain('did-few-stores');
  }, 120_000);

  it('twin roi --pilot DIR prices the cut in shrink the pilot measured', async () => {
    const [pilot, roi] = await Promise.all([
      twin('pilot', join(dir, 'pilot'), '--format', 'json'),
      twin('roi', '--layout', join(dir, 'small.layout.json'), '--pilot', join(dir, 'pilot'), '--draws', '200', '--format', 'json'),
    ]);
    expect(roi.code, roi.stderr).toBe(0);
    const est = JSON.parse(pilot.stdout).result.relative as { estimate: number; low: number; high: number };
    const out = JSON.parse(roi.stdout);
    const d = out.assumptions.deterrence as { value: number; low: number; high: number; source: string };
    const cut = (x: number) => Math.min(1, Math.max(0, -x));
    expect(d.value).toBeCloseTo(cut(est.estimate), 10);
    expect(d.low).toBeCloseTo(Math.min(cut(est.high), d.value), 10);
    expect(d.source).toMatch(/^measured: pilot .*Shrink at cost/);
    expect(out.basis.detection.lossCaught).toBe(0);
    expect(out.sentences.detection).toMatch(/^The pilot took away \d/);
    // Shrink avoided is the measured share of the addressable loss at cost.
    const a = (k: string) => out.assumptions[k].value as number;
    expect(out.store.benefits.shrinkAvoided).toBeCloseTo(a('salesPerMonth') * a('shrinkRate') * a('addressableShare') * (1 - a('grossMargin')) * d.value, 6);
  }, 120_000);

  it('refuses command-line mistakes with exit 2', async () => {
    const runs = await Promise.all([
      twin('pilot'),
      twin('pilot', dir),
      twin('pilot', '--test', dir, '--control', dir, '--pre', '2026-11-16', '--post', 'soon'),
      twin('pilot', '--test', dir, '--control', dir, '--pre', '2026-11-16..2026-11-20', '--post', '2026-11-19..2026-11-21'),
      twin('simulate', '--scenario', scenario, '--pilot', 'two', '--pre', '3', '--post', '3', '--out', dir),
      twin('simulate', '--scenario', scenario, '--pilot', '2+2', '--pre', '40', '--post', '40', '--out', dir),
      twin('simulate', '--scenario', scenario, '--pre', '3', '--out', dir),
      twin('simulate', '--scenario', scenario, '--error-cut', '0.5', '--out', dir),
      twin('simulate', '--scenario', scenario, '--pilot', '2+2', '--pre', '3', '--post', '3', '--error-cut', '2', '--out', dir),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2]);
    const said = [/usage: twin pilot/, /no pilot\.json/, /--post must be FROM\.\.TO/, /must start after/, /--pilot must be TESTS\+CONTROLS/, /at most 60 days/, /go with --pilot/, /--error-cut .*go with --pilot/, /--error-cut must be a share from 0 to 1, not "2"/];
    runs.forEach((r, i) => expect(r.stderr).toMatch(said[i]!));
  }, 120_000);
});
