import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { csvCell, csvLines, htmlText, labelText, markdownText, MAX_TEXT_LENGTH, notificationText, plainText, terminalText, truncate } from '../../../src/core/text/escape';
import { HOSTILE_STRINGS, INVISIBLE_OR_REORDERING } from '../../hostileStrings';
import { liveIcons, renderInline, renderMarkdown, shownText } from '../../markdownView';

const render = renderInline;
const shown = (md: string) => shownText(render(md));

describe('plainText', () => {
  test('leaves ordinary names alone', () => {
    for (const s of ['meta-llama/Llama-3.1-8B', 'Qwen2.5-7B-Instruct', 'gpt2 (small)', 'Mixtral 8×7B', 'naïve_模型_🙂']) assert.equal(plainText(s), s);
  });
  test('shows control, bidirectional and invisible characters as [U+XXXX]', () => {
    assert.equal(plainText(HOSTILE_STRINGS.rtlOverride), 'safe[U+202E]gnp.exe');
    assert.equal(plainText('x\u{E0041}y'), 'x[U+E0041]y');
    const out = plainText(HOSTILE_STRINGS.controls);
    assert.doesNotMatch(out, INVISIBLE_OR_REORDERING);
    assert.equal(out, 'a[U+0000]b[U+0007]c[U+001B][31mred[U+001B][0m d[U+200B]e[U+FEFF]');
  });
  test('line breaks and tabs become spaces; lone surrogates U+FFFD', () => {
    assert.equal(plainText(HOSTILE_STRINGS.newlines), 'one two three four five');
    assert.equal(plainText('a\uD800b\uDC00c'), 'a\uFFFDb\uFFFDc');
  });
  test('cuts long strings with an ellipsis, at the limit, never inside a surrogate pair', () => {
    const out = plainText(HOSTILE_STRINGS.long);
    assert.equal(Array.from(out).length, MAX_TEXT_LENGTH);
    assert.ok(out.endsWith('…'));
    assert.equal(truncate('🙂'.repeat(10), 5), '🙂🙂🙂🙂…');
    assert.equal(truncate('abc', 3), 'abc');
  });
  test('turns objects and numbers into text', () => {
    assert.equal(plainText({ kind: 'power-law', alpha: 1 }), '{"kind":"power-law","alpha":1}');
    assert.equal(plainText(4096), '4096');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(plainText(cyclic), '[object Object]');
  });
});

describe('markdownText, rendered as VS Code renders a hover', () => {
  for (const [name, s] of Object.entries(HOSTILE_STRINGS)) {
    test(`${name}: no link, image, HTML, code, emphasis or icon; reads as the plain text`, () => {
      const md = markdownText(s);
      const html = render(md);
      assert.doesNotMatch(html, /<(a|img|script|code|em|strong|del|b|h\d|blockquote|ul|li)\b/i, html);
      assert.deepEqual(liveIcons(html), [], 'an icon would render');
      assert.equal(shown(md), plainText(s));
    });
    test(`${name}: inside a GFM table cell it stays in its cell`, () => {
      const table = `| a | b |\n|---|---|\n| ${markdownText(s)} | end |`;
      const html = renderMarkdown(table);
      assert.equal((html.match(/<td>/g) ?? []).length, 2, html.slice(0, 400));
      assert.doesNotMatch(html, /<a\b/);
    });
  }
  test('ordinary names and paths are unchanged in the Markdown source', () => {
    for (const s of ['meta-llama/Llama-3.1-8B', 'workspace/models/llama-2-7b/config.json', 'Qwen2.5-7B-Instruct', 'naïve 模型', '1.654e8', '-2.5', '+3 %', '2.94 MWh']) assert.equal(markdownText(s), s);
  });
  test('as a list item or at the start of a line, no block syntax forms (list, heading, rule, quote)', () => {
    for (const s of ['- nested', '+ nested', '1. ordered', '# heading', '> quote', '---', '===', '   - indented']) {
      const html = renderMarkdown(`- ${markdownText(s)}\n\n${markdownText(s)}\n${markdownText(s)}`);
      assert.equal((html.match(/<li>/g) ?? []).length, 1, html);
      assert.doesNotMatch(html, /<(h\d|hr|blockquote|ol)\b/, html);
    }
  });
  test('property: any string of Markdown-ish pieces renders as its plain text, with no element at all', () => {
    const piece = fc.constantFrom('[', ']', '(', ')', '!', '<', '>', '&', '|', '`', '*', '_', '~', '$(', 'zap', ')', ':', '@', '#', '-', '+', '=', '1.', 'www.', 'https://', 'command:', 'x.y', ' ', '\\', '"', "'", '&amp;', '<b>', 'é', '\u202E');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (parts) => {
        const s = parts.join('');
        const md = markdownText(s, 1000);
        const html = render(md);
        assert.doesNotMatch(html, /<[a-z]/i, `${JSON.stringify(s)} → ${html}`);
        assert.equal(shown(md), plainText(s, 1000), JSON.stringify(s));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
  test('ordinary model names read unchanged', () => {
    for (const s of ['meta-llama/Llama-3.1-8B', 'bigscience/bloom_176b', 'model [v2] (fp16)', 'a*b=c']) assert.equal(shown(markdownText(s)), s);
  });
});

describe('labelText (CodeLens, quick picks, status bar)', () => {
  test('escapes theme icons and nothing else', () => {
    assert.equal(labelText('$(zap) run'), '\\$(zap) run');
    assert.equal(labelText('$(loading~spin)'), '\\$(loading~spin)');
    assert.equal(labelText('cost $(5)'), 'cost \\$(5)');
    assert.equal(labelText('[x](y) *z*'), '[x](y) *z*');
    assert.equal(labelText(HOSTILE_STRINGS.rtlOverride), 'safe[U+202E]gnp.exe');
  });
});

describe('notificationText', () => {
  test('no [label](target) survives to become a link', () => {
    const link = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
    for (const s of [HOSTILE_STRINGS.commandLink, HOSTILE_STRINGS.openLink, '[a] (command:x)', '[a]\t(command:x)']) {
      assert.doesNotMatch(notificationText(s, 10_000), link, s);
    }
  });
});

describe('htmlText and terminalText', () => {
  test('HTML: the five characters become entities', () => {
    assert.equal(htmlText(HOSTILE_STRINGS.script), '&#60;script&#62;alert(document.cookie)&#60;/script&#62;');
    assert.equal(htmlText(`"a" & 'b'`), '&#34;a&#34; &#38; &#39;b&#39;');
  });
  test('terminal: no escape sequence reaches the tty', () => {
    assert.ok(!terminalText(HOSTILE_STRINGS.controls).includes('\u001b'));
    assert.ok(!terminalText('a\rb').includes('\r'));
  });
});

describe('csvCell', () => {
  test('a cell a spreadsheet would read as a formula is made text with a leading quote', () => {
    assert.equal(csvCell(HOSTILE_STRINGS.formulaEquals), `"'=HYPERLINK(""https://evil.example"",""x"")"`);
    assert.equal(csvCell(HOSTILE_STRINGS.formulaPlus), `'+1+cmd|' /C calc'!A0`);
    assert.equal(csvCell(HOSTILE_STRINGS.formulaMinus), `'-2+3`);
    assert.equal(csvCell(HOSTILE_STRINGS.formulaAt), `'@SUM(A1:A2)`);
    assert.equal(csvCell('\t=1'), `' =1`);
  });
  test('numbers stay numbers, negative ones included; text is quoted where RFC 4180 needs it', () => {
    assert.equal(csvCell(-2.5), '-2.5');
    assert.equal(csvCell(1e21), '1e+21');
    assert.equal(csvCell(Number.NaN), '');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('one\ntwo'), 'one two');
    assert.equal(csvLines([['file', 'energy_j'], ['=x', 3]]), "file,energy_j\n'=x,3\n");
  });
});
