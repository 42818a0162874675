/**
 * Strict JSON with lazily built locations. A Hugging Face config.json of a vision model carries 1,000-entry
 * id2label / label2id maps; building jsonc-parser's full node tree for them costs ~4 ms, while JSON.parse and an
 * index of only the objects a lookup walks through cost a fraction of that. Files with comments or trailing
 * commas (JSONC) fail JSON.parse and take the jsonc-parser path, which also reports syntax errors.
 */

export interface FastJson {
  data: unknown;
  /** Span of `"key": value` (or of an array item) for a path; undefined when the path does not exist. */
  span(path: readonly string[]): [number, number] | undefined;
}

interface Member {
  /** Start of the key (objects) or of the item (arrays). */
  start: number;
  valueStart: number;
  valueEnd: number;
}

export function parseStrictJson(text: string): FastJson | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const rootStart = skipWs(text, 0);
  const rootEnd = skipValue(text, rootStart);
  const members = new Map<number, Map<string, Member>>();
  const membersOf = (valueStart: number): Map<string, Member> => {
    let m = members.get(valueStart);
    if (!m) {
      m = indexContainer(text, valueStart);
      members.set(valueStart, m);
    }
    return m;
  };
  return {
    data,
    span(path) {
      let start = rootStart;
      let valueStart = rootStart;
      let valueEnd = rootEnd;
      for (const seg of path) {
        const c = text.charCodeAt(valueStart);
        if (c !== 123 && c !== 91) return undefined;
        const member = membersOf(valueStart).get(seg);
        if (!member) return undefined;
        ({ start, valueStart, valueEnd } = member);
      }
      return [start, valueEnd];
    },
  };
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** Index just past the string that starts at `i` (a '"'). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; ; ) {
    const q = text.indexOf('"', j);
    if (q === -1) return text.length;
    let backslashes = 0;
    for (let k = q - 1; text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just past the value that starts at `i`; the text is known to be valid JSON. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return skipString(text, i);
  if (c !== 123 && c !== 91) {
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
      j++;
    }
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 34) j = skipString(text, j) - 1;
    else if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      if (--depth === 0) return j + 1;
    }
  }
  return text.length;
}

/** Members of the object or array starting at `i`, keyed by property name or item index. */
function indexContainer(text: string, i: number): Map<string, Member> {
  const out = new Map<string, Member>();
  const isObject = text.charCodeAt(i) === 123;
  let j = skipWs(text, i + 1);
  let index = 0;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 125 || c === 93) break;
    if (c === 44) {
      j = skipWs(text, j + 1);
      continue;
    }
    if (isObject) {
      const keyEnd = skipString(text, j);
      const raw = text.slice(j + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(j, keyEnd)) as string) : raw;
      const valueStart = skipWs(text, skipWs(text, keyEnd) + 1);
      const valueEnd = skipValue(text, valueStart);
      // The last duplicate wins, as in JSON.parse.
      out.set(key, { start: j, valueStart, valueEnd });
      j = skipWs(text, valueEnd);
    } else {
      const valueEnd = skipValue(text, j);
      out.set(String(index++), { start: j, valueStart: j, valueEnd });
      j = skipWs(text, valueEnd);
    }
  }
  return out;
}
