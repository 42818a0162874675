/**
 * Markdown as VS Code shows it in a hover, for tests: marked with GitHub-flavoured Markdown and no raw HTML, then
 * `$(icon)` drawn in the rendered text unless a backslash precedes it (VS Code's markdown renderer does the same).
 */
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false });

export const renderMarkdown = (md: string): string => marked.parse(md, { async: false }) as string;
export const renderInline = (md: string): string => marked.parseInline(md, { async: false }) as string;

const ICON = /(\\)?\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

function decode(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** What a person reads of rendered HTML: its text, escaped icons as their characters, live ones as `<icon $(x)>`. */
export function shownText(html: string): string {
  return decode(html).replace(ICON, (m, esc: string | undefined) => (esc ? m.slice(1) : `<icon ${m}>`));
}

/** The icons that would be drawn: each `$(name)` of the rendered text without a backslash before it. */
export function liveIcons(html: string): string[] {
  return [...decode(html).matchAll(ICON)].filter((m) => !m[1]).map((m) => m[0]);
}

/** Every link target in rendered HTML. */
export function linkTargets(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => decode(m[1]));
}
