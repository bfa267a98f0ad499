import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, loadStartupLayout } from '../../src/components/loadStartupLayout';

describe('loadStartupLayout', () => {
  it('fetches the layout named by ?layout=', async () => {
    const asked: string[] = [];
    const result = await loadStartupLayout('?layout=/x/y.json', async (url) => (asked.push(url), '{"v":1}'));
    expect(asked).toEqual(['/x/y.json']);
    expect(result).toEqual({ ok: true, text: '{"v":1}', source: '/x/y.json' });
  });

  it('says why a named layout could not be fetched', async () => {
    const result = await loadStartupLayout('?layout=/missing.json', async () => {
      throw new Error('HTTP 404');
    });
    expect(result).toEqual({ ok: false, source: '/missing.json', reason: 'could not be fetched (HTTP 404)' });
  });

  it(`opens ${DEFAULT_LAYOUT} without a query, or says it is missing`, async () => {
    const result = await loadStartupLayout('', async () => {
      throw new Error('the default is bundled, not fetched');
    });
    expect(result.source).toBe(DEFAULT_LAYOUT);
    expect(result.ok).toBe(existsSync(DEFAULT_LAYOUT));
  });
});
