/**
 * Whether SQL typed into the workbench's SQL box only reads. The box is for questions: a
 * DROP, DELETE or COPY there would change (or leak) the event store that every source feeds
 * and every analysis reads, with no undo. One statement that starts like a query and names
 * no statement that writes, outside string literals, quoted names and comments. Pure.
 */

/** Statements a query may start with. */
const READS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'DESCRIBE', 'SHOW', 'SUMMARIZE', 'EXPLAIN', 'PIVOT', 'UNPIVOT']);
/** Words that only a statement with side effects has (a CTE may hide one: WITH … INSERT). */
const WRITES = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'DROP', 'CREATE', 'ALTER', 'TRUNCATE', 'COPY', 'EXPORT', 'IMPORT', 'ATTACH', 'DETACH',
  'INSTALL', 'LOAD', 'CHECKPOINT', 'VACUUM', 'SET', 'RESET', 'CALL', 'USE', 'BEGIN', 'COMMIT', 'ROLLBACK', 'PRAGMA',
]);

/** Undefined when `sql` only reads; else why it is refused, in words for the user. */
export function readOnlyProblem(sql: string): string | undefined {
  const words: string[] = [];
  let statements = 0;
  let inStatement = false;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      // A literal or a quoted name: skip to its closing quote ('' and "" escape one).
      i++;
      while (i < n && !(sql[i] === c && sql[i + 1] !== c)) i += sql[i] === c ? 2 : 1;
      i++;
      inStatement = true;
    } else if (c === ';') {
      if (inStatement) statements++;
      inStatement = false;
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      words.push(sql.slice(i, j).toUpperCase());
      inStatement = true;
      i = j;
    } else {
      if (!/\s/.test(c)) inStatement = true;
      i++;
    }
  }
  if (inStatement) statements++;
  if (statements === 0) return 'There is no query to run.';
  if (statements > 1) return 'Run one query at a time (the box found more than one statement).';
  const first = words[0]!;
  if (!READS.has(first)) return `The SQL box only reads: ${first} is not a query. Queries start with SELECT, WITH, FROM, DESCRIBE, SHOW or SUMMARIZE.`;
  const writer = words.find((w) => WRITES.has(w));
  if (writer) return `The SQL box only reads: ${writer} would change the event store.`;
  return undefined;
}
