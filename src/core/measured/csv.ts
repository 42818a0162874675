/**
 * The core's CSV reader: papaparse's string API (pure JavaScript; its Node stream path is never reached from here),
 * with each row's line and offset in the text, so a message or a measured value can name the line it comes from.
 * Quoted fields may hold separators, quotes ("") and line breaks. Used for CodeCarbon's emissions.csv and the
 * simulator's CSV datasets.
 */
import Papa from 'papaparse';
import { lineStarts, positionAt } from '../configs/lines';

export interface CsvRow {
  cells: string[];
  /** 1-based line of the row's first character. */
  line: number;
  /** 0-based offset of the row in the text, and its length (without the line break). */
  offset: number;
  length: number;
}

export interface CsvProblem {
  /** 1-based line, when papaparse could place the problem on a row. */
  line?: number;
  message: string;
}

export interface CsvTable {
  rows: CsvRow[];
  delimiter: string;
  problems: CsvProblem[];
  /** More rows than `maxRows` were present; `rows` holds the first `maxRows`. */
  truncated: boolean;
}

export interface CsvOptions {
  /** Separators to choose from by papaparse's guess over the first rows; default comma, semicolon, tab, pipe. */
  delimiters?: string[];
  /** A line starting with this string is a comment (skipped); default none. */
  comments?: string;
  /** Read no more than this many rows (header included); `truncated` says when there were more. */
  maxRows?: number;
}

/** papaparse's own codes, in words. */
const PROBLEM_WORDS: Record<string, string> = {
  MissingQuotes: 'a quoted field is not closed',
  InvalidQuotes: 'a quote inside an unquoted field',
  UndetectableDelimiter: 'no separator found (one column)',
  TooFewFields: 'too few fields',
  TooManyFields: 'too many fields',
};

export function readCsv(text: string, opts: CsvOptions = {}): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const starts = lineStarts(body);
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let start = 0;
  let truncated = false;
  let delimiter = ',';
  const limit = opts.maxRows;
  Papa.parse<string[]>(body, {
    delimitersToGuess: opts.delimiters ?? [',', ';', '\t', '|'],
    comments: opts.comments ?? false,
    skipEmptyLines: 'greedy',
    step: (result, parser) => {
      delimiter = result.meta.delimiter || delimiter;
      const end = result.meta.cursor;
      // The cursor stands after the row's line break; the row starts after blank lines and comments before it.
      let from = start;
      for (let i = from; i < end; i++) {
        const c = body.charCodeAt(i);
        if (c === 32 || c === 9 || c === 13) continue;
        if (c === 10) {
          from = i + 1;
          continue;
        }
        if (opts.comments && body.startsWith(opts.comments, i)) {
          const nl = body.indexOf('\n', i);
          if (nl < 0 || nl >= end) break;
          from = nl + 1;
          i = nl;
          continue;
        }
        break;
      }
      let stop = end;
      while (stop > from && (body[stop - 1] === '\n' || body[stop - 1] === '\r')) stop--;
      start = end;
      if (limit !== undefined && rows.length >= limit) {
        truncated = true;
        parser.abort();
        return;
      }
      const cells = result.data;
      // A file whose line breaks mix \r\n and \n leaves a \r on the last cell of some rows.
      const last = cells.length - 1;
      if (last >= 0 && cells[last].endsWith('\r')) cells[last] = cells[last].slice(0, -1);
      const row: CsvRow = { cells, line: positionAt(starts, from).line, offset: from, length: stop - from };
      rows.push(row);
      for (const e of result.errors) {
        // A one-column file is not a problem of a row; it is reported by the caller, who knows what it expected.
        if (e.code === 'UndetectableDelimiter') continue;
        problems.push({ line: row.line, message: PROBLEM_WORDS[e.code] ?? e.message });
      }
    },
  });
  return { rows, delimiter, problems, truncated };
}
