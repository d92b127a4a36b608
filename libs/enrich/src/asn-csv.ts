import { GeoDataError } from './geo-data-error.ts';
/**
 * Reader for the @ip-location-db/asn "-num" CSV files: `start,end,asn,org`, one inclusive range per
 * line, sorted by start. `org` is quoted when it contains a comma, with `""` for a literal quote.
 * Hand-rolled rather than a CSV library because it runs over ~500k lines at start-up.
 */
export interface AsnRow {
  start: string;
  end: string;
  asn: number;
  org: string;
}

export function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.length > 0 && !text.endsWith('\n') ? lines + 1 : lines;
}

/** Calls `onRow` for every data line. Throws naming the file and line on a malformed one. */
export function forEachAsnRow(text: string, fileName: string, onRow: (row: AsnRow, index: number) => void): void {
  let lineStart = 0;
  let index = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.charCodeAt(lineEnd - 1) === 13 ? text.slice(lineStart, lineEnd - 1) : text.slice(lineStart, lineEnd);
    if (line !== '') {
      onRow(parseLine(line, fileName, index + 1), index);
      index++;
    }
    lineStart = lineEnd + 1;
  }
}

const DIGITS = /^\d+$/;

function parseLine(line: string, fileName: string, lineNumber: number): AsnRow {
  const c1 = line.indexOf(',');
  const c2 = line.indexOf(',', c1 + 1);
  const c3 = line.indexOf(',', c2 + 1);
  const start = line.slice(0, c1);
  const end = line.slice(c1 + 1, c2);
  const asn = line.slice(c2 + 1, c3);
  if (c1 <= 0 || c2 <= c1 || c3 <= c2 || !DIGITS.test(start) || !DIGITS.test(end) || !DIGITS.test(asn)) {
    throw new GeoDataError(`${fileName}:${lineNumber}: malformed ASN row "${line.slice(0, 120)}"`);
  }
  const rawOrg = line.slice(c3 + 1);
  const org = rawOrg.startsWith('"') ? rawOrg.slice(1, -1).replaceAll('""', '"') : rawOrg;
  return { start, end, asn: Number(asn), org };
}
