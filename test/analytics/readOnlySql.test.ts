import { describe, expect, it } from 'vitest';
import { readOnlyProblem } from '../../src/analytics/readOnlySql';

describe('the SQL box only reads', () => {
  it('runs queries, one at a time, a trailing semicolon allowed', () => {
    for (const sql of [
      'SELECT count(*) FROM readings',
      'select slot, ts from readings order by ts limit 3;',
      'WITH x AS (SELECT 1 AS a) SELECT * FROM x',
      'FROM readings LIMIT 5',
      'DESCRIBE readings',
      'SUMMARIZE SELECT * FROM book',
      '  -- the newest\n SELECT * FROM readings /* all of them */ ORDER BY ts DESC',
      "SELECT 'drop table readings; --' AS s, \"delete\" FROM (SELECT 1 AS \"delete\")",
      "SELECT 'it''s; fine'",
    ]) {
      expect(readOnlyProblem(sql), sql).toBeUndefined();
    }
  });

  it('refuses what would change the store, however it is dressed', () => {
    expect(readOnlyProblem('DROP TABLE readings')).toMatch(/DROP is not a query/);
    expect(readOnlyProblem('delete from book')).toMatch(/DELETE is not a query/);
    expect(readOnlyProblem("COPY readings TO 'x.csv'")).toMatch(/COPY is not a query/);
    expect(readOnlyProblem('WITH x AS (SELECT 1) INSERT INTO book SELECT * FROM x')).toMatch(/INSERT would change/);
    expect(readOnlyProblem('SELECT 1; DROP TABLE readings')).toMatch(/one query at a time/);
    expect(readOnlyProblem("ATTACH 'other.db'")).toMatch(/ATTACH/);
    expect(readOnlyProblem('  ;  -- nothing')).toMatch(/no query/);
  });
});
