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

  it('opens the layout the server names at /api/config when the address names none', async () => {
    const asked: string[] = [];
    const fetchText = async (url: string) => (asked.push(url), '{"v":2}');
    expect(await loadStartupLayout('', fetchText, async () => '/api/layout')).toEqual({ ok: true, text: '{"v":2}', source: '/api/layout' });
    // The address wins over the server.
    expect((await loadStartupLayout('?layout=/mine.json', fetchText, async () => '/api/layout')).source).toBe('/mine.json');
    expect(asked).toEqual(['/api/layout', '/mine.json']);
  });

  it(`opens ${DEFAULT_LAYOUT} without a query, or says it is missing`, async () => {
    const result = await loadStartupLayout(
      '',
      async () => {
        throw new Error('the default is bundled, not fetched');
      },
      async () => null,
    );
    expect(result.source).toBe(DEFAULT_LAYOUT);
    expect(result.ok).toBe(existsSync(DEFAULT_LAYOUT));
  });
});
