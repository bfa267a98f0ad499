/**
 * A result table as CSV (RFC 4180): a header of column names, one record a row, CRLF line
 * ends; a field with a comma, a quote or a line break is quoted, quotes doubled. Instants
 * are ISO 8601 in UTC, days `YYYY-MM-DD`, null an empty field.
 */
import { cellText, type ResultTable } from './resultColumns';

export function resultCsv(result: ResultTable): string {
  const lines = [result.columns.map((c) => csvField(c.name)).join(',')];
  for (const row of result.rows) lines.push(result.columns.map((c) => csvField(cellText(row[c.name], c.type))).join(','));
  return lines.join('\r\n') + '\r\n';
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
