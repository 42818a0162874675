import * as vscode from 'vscode';
import { filePolicy, type FilePolicy } from '../core/files/policy';
import { withoutJoinedRecords } from '../core/measured/shownElsewhere';
import { formatInteger } from '../core/units/format';
import type { RunSummary } from '../protocol/runs';
import type { AnalysisService } from './analysisService';
import { enginePath, readTextFile, realPathOf, uriForPath } from './files';
import { readSettings } from './settings';

/** Files that cannot be read get an entry of their own only when their name says they are configs. */
const CONFIG_NAME = /(^|\/)(config\.json|[^/]+\.lim\.(ya?ml|json)|[^/]+\.ya?ml)$/i;
/**
 * Candidate files per scan, all include patterns together: the 50,000-file workspace of bench/hostile.bench.ts
 * (30,000 candidates, 15,000 configs) fits. Memory grows with the configs listed, not with the files read: they
 * are read and analysed 200 at a time.
 */
const MAX_FILES = 50_000;
/** Over the cap, these names are read first (files that are never configs are not candidates: see the file policy). */
const LIKELY_CONFIG = /(^|\/)([^/]*(config|args|arguments)[^/]*\.json|[^/]+\.lim\.(ya?ml|json)|[^/]+\.ya?ml|[^/]+\.sh)$/i;
const CHUNK = 200;
const READ_CONCURRENCY = 16;
/**
 * File-system events are coalesced per file: a file is re-analysed 300 ms after its last event, and at most 1 s
 * after its first unanalysed one, however often it changes in between.
 */
const DEBOUNCE_MS = 300;
const MAX_WAIT_MS = 1_000;
/** How many unread files the scan's one log line names. */
const NAMED_UNREAD = 10;

/** A chunk of files read: the texts to analyse, and the files that could not be read. */
interface ReadChunk {
  count: number;
  texts: Array<{ uri: vscode.Uri; text: string }>;
  /** Entries for unreadable files named like configs. */
  runs: RunSummary[];
  unread: UnreadFile[];
}

interface Analysed {
  runs: RunSummary[];
  dependencies: Map<string, string[]>;
  unread: UnreadFile[];
}

/** A file the index did not read, and why ("is 1.0 GB, over the 1,024 KB limit (limLens.files.maxSizeKB)"). */
export interface UnreadFile {
  uri: string;
  relativePath: string;
  reason: string;
}

/** Expands one level of {a,b} groups, so user patterns can be combined into a single brace group. */
export function expandBraces(pattern: string): string[] {
  const m = /\{([^{}]*)\}/.exec(pattern);
  if (!m) return [pattern];
  return m[1].split(',').flatMap((alt) => expandBraces(pattern.slice(0, m.index) + alt + pattern.slice(m.index + m[0].length)));
}

/**
 * Every model and training config in the workspace, kept current: a full scan on demand (with progress and
 * cancellation), then file-system events re-analyse only what changed and the configs that may read it.
 */
export class WorkspaceIndex implements vscode.Disposable {
  private readonly runs = new Map<string, RunSummary>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly progressEmitter = new vscode.EventEmitter<{ done: number; total: number }>();
  readonly onProgress = this.progressEmitter.event;
  /** What each run read besides its own file (engine paths), so a change to one of those re-analyses it. */
  private readonly dependencies = new Map<string, string[]>();
  /** Files not read, by URI: from the last scan, kept current by re-analyses. */
  private readonly unreadFiles = new Map<string, UnreadFile>();
  private watchers: vscode.Disposable[] = [];
  private scanning: Promise<void> | undefined;
  private scanSource: vscode.CancellationTokenSource | undefined;
  /** Files changed since their last re-analysis, by URI: when they first and last changed since. */
  private readonly queued = new Map<string, { uri: vscode.Uri; first: number; last: number }>();
  private queueTimer: ReturnType<typeof setTimeout> | undefined;
  private queueDue = Infinity;
  private flushing = false;
  /** Set when the last scan found more candidate files than it reads: how many, and what to do. */
  private capped: string | undefined;
  private scannedOnce = false;
  private readonly createdPaths = new Map<string, vscode.Uri>();
  private createdTimer: ReturnType<typeof setTimeout> | undefined;
  /** The file policy of each workspace folder's settings, compiled once per settings change (see reset()). */
  private readonly policies = new Map<string, FilePolicy>();

  constructor(
    private readonly analysis: AnalysisService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isScanning(): boolean {
    return this.scanning !== undefined;
  }

  get hasScanned(): boolean {
    return this.scannedOnce;
  }

  /** The runs to show; a record that joined another run of its folder is shown inside that run only. */
  list(): RunSummary[] {
    return withoutJoinedRecords(
      [...this.runs.values()],
      (r) => ({ path: r.uri, format: r.format, measured: r.measuredLabel !== undefined }),
      (uri) => (this.dependencies.get(uri) ?? []).map((p) => uriForPath(vscode.Uri.parse(uri), p).toString()),
    );
  }

  get(id: string): RunSummary | undefined {
    return this.runs.get(id);
  }

  byUri(uri: vscode.Uri): RunSummary | undefined {
    return this.runs.get(uri.toString());
  }

  /** The files the index could not read, each once with its reason. */
  unread(): UnreadFile[] {
    return [...this.unreadFiles.values()];
  }

  /** Why the last scan left files out for their number, if it did ("30,000 candidate files, more than …"). */
  get cappedReason(): string | undefined {
    return this.capped;
  }

  patterns(): string[] {
    return readSettings().include;
  }

  /** Starts a scan unless one is running; resolves when the running or new scan ends. */
  ensureScanned(): Promise<void> {
    if (this.scanning) return this.scanning;
    if (this.scannedOnce) return Promise.resolve();
    return this.rescan();
  }

  /** A fresh full scan; a scan already running is cancelled first. */
  rescan(token?: vscode.CancellationToken): Promise<void> {
    this.scanSource?.cancel();
    const source = new vscode.CancellationTokenSource();
    const link = token?.onCancellationRequested(() => source.cancel());
    this.scanSource = source;
    const run = this.scan(source.token).finally(() => {
      link?.dispose();
      if (this.scanSource === source) {
        this.scanning = undefined;
        this.scanSource = undefined;
        this.scannedOnce = true;
        this.changed.fire();
        // Files that changed during the scan may have been read before they changed.
        if (this.queued.size > 0) this.scheduleFlush();
      }
      source.dispose();
    });
    this.scanning = run;
    this.changed.fire();
    this.watch();
    return run;
  }

  private async findCandidates(token: vscode.CancellationToken): Promise<vscode.Uri[]> {
    const found = new Map<string, vscode.Uri>();
    let patternCapped = false;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const s = readSettings(folder.uri);
      const exclude = s.exclude.flatMap(expandBraces);
      const excludeGlob = exclude.length ? new vscode.RelativePattern(folder, `{${exclude.join(',')}}`) : undefined;
      // findFiles finds fast; the file policy (src/core/files/policy.ts, the CLI's too) decides what is a candidate.
      const policy = this.policyOf(folder);
      for (const include of s.include.flatMap(expandBraces)) {
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, include), excludeGlob, MAX_FILES + 1, token);
        if (token.isCancellationRequested) return [];
        if (uris.length > MAX_FILES) patternCapped = true;
        for (const u of uris.slice(0, MAX_FILES)) if (policy.isCandidate(vscode.workspace.asRelativePath(u, false))) found.set(u.toString(), u);
      }
    }
    let candidates = [...found.values()];
    if (candidates.length > MAX_FILES || patternCapped) {
      // Over the cap: files named like configs first, so a folder of metrics.json files cannot crowd out the
      // run files and training configs (a cap of 20,000 filled with JSON files hid 10,000 YAML configs in bench/hostile.bench.ts).
      const rank = (u: vscode.Uri) => (LIKELY_CONFIG.test(u.path) ? 0 : 1);
      candidates = candidates.map((u) => [rank(u), u] as const).sort((a, b) => a[0] - b[0]).map(([, u]) => u);
      const left = Math.max(0, candidates.length - MAX_FILES);
      candidates = candidates.slice(0, MAX_FILES);
      this.capped = `${patternCapped ? 'more than ' : ''}${formatInteger(found.size)} candidate files, more than the ${formatInteger(MAX_FILES)} a scan reads: ${patternCapped ? 'at least ' : ''}${formatInteger(left)} not read (files named like configs were read first); narrow limLens.files.include or widen limLens.files.exclude`;
      this.log.warn(`workspace scan: ${this.capped}`);
    } else this.capped = undefined;
    return this.distinctFiles(candidates, token);
  }

  /**
   * One name per file: a folder linked into the workspace twice (or into itself) shows its files under several
   * paths; the shortest path of each real file is kept.
   */
  private async distinctFiles(uris: vscode.Uri[], token: vscode.CancellationToken): Promise<vscode.Uri[]> {
    const real = new Array<string>(uris.length);
    for (let i = 0; i < uris.length && !token.isCancellationRequested; i += READ_CONCURRENCY * 4) {
      await Promise.all(uris.slice(i, i + READ_CONCURRENCY * 4).map(async (u, j) => (real[i + j] = await realPathOf(u))));
    }
    // The shortest name of each file wins (models/m/config.json over models/self/m/config.json).
    const best = new Map<string, vscode.Uri>();
    uris.forEach((u, i) => {
      const key = `${u.scheme}:${real[i] ?? u.path}`;
      const had = best.get(key);
      if (!had || u.path.length < had.path.length || (u.path.length === had.path.length && u.path < had.path)) best.set(key, u);
    });
    const out = [...best.values()];
    if (out.length < uris.length) this.log.info(`workspace scan: ${uris.length - out.length} files found again through symbolic links, read once`);
    return out;
  }

  private async scan(token: vscode.CancellationToken): Promise<void> {
    const t0 = Date.now();
    const candidates = await this.findCandidates(token);
    const total = candidates.length;
    this.progressEmitter.fire({ done: 0, total });
    const next = new Map<string, RunSummary>();
    const dependencies = new Map<string, string[]>();
    const unread = new Map<string, UnreadFile>();
    let done = 0;
    for (let i = 0; i < candidates.length && !token.isCancellationRequested; i += CHUNK) {
      const chunk = await this.readUris(candidates.slice(i, i + CHUNK));
      const r = await this.analyzeRead(chunk, token);
      for (const run of r.runs) next.set(run.id, run);
      for (const [id, deps] of r.dependencies) dependencies.set(id, deps);
      for (const u of r.unread) unread.set(u.uri, u);
      done += chunk.count;
      this.progressEmitter.fire({ done, total });
    }
    if (token.isCancellationRequested) {
      this.log.info(`workspace scan cancelled after ${done} of ${total} files`);
      return;
    }
    this.runs.clear();
    for (const [k, v] of next) this.runs.set(k, v);
    this.dependencies.clear();
    for (const [k, v] of dependencies) this.dependencies.set(k, v);
    this.unreadFiles.clear();
    for (const [k, v] of unread) this.unreadFiles.set(k, v);
    this.log.info(`workspace scan: ${total} candidate files, ${this.runs.size} configs, ${Date.now() - t0} ms`);
    this.logUnread([...unread.values()]);
  }

  /** One line for everything a scan could not read, never one message per file. */
  private logUnread(unread: UnreadFile[]): void {
    if (unread.length === 0) return;
    const named = unread.slice(0, NAMED_UNREAD).map((u) => `${u.relativePath} ${u.reason}`);
    const more = unread.length > NAMED_UNREAD ? `; and ${unread.length - NAMED_UNREAD} more` : '';
    this.log.warn(`workspace scan: ${unread.length} ${unread.length === 1 ? 'file' : 'files'} not read: ${named.join('; ')}${more}`);
  }

  /**
   * Reads and analyses files. Unreadable files are listed in `unread`; those named like configs also become
   * entries with a diagnostic (a file outside the workspace never does: it is not part of it).
   */
  private async analyzeUris(uris: vscode.Uri[], token?: vscode.CancellationToken): Promise<Analysed> {
    return this.analyzeRead(await this.readUris(uris), token);
  }

  private async readUris(uris: vscode.Uri[]): Promise<ReadChunk> {
    const maxBytes = readSettings().maxFileSizeKB * 1024;
    const texts: Array<{ uri: vscode.Uri; text: string }> = [];
    const runs: RunSummary[] = [];
    const unread: UnreadFile[] = [];
    let next = 0;
    // READ_CONCURRENCY reads in flight, each starting the next as it ends.
    const reader = async () => {
      for (let i = next++; i < uris.length; i = next++) {
        const uri = uris[i];
        const r = await readTextFile(uri, maxBytes);
        if (r.ok) {
          texts.push({ uri, text: r.text });
          continue;
        }
        unread.push({ uri: uri.toString(), relativePath: vscode.workspace.asRelativePath(uri, true), reason: r.reason });
        if (CONFIG_NAME.test(uri.path) && !r.reason.startsWith('is outside the workspace')) runs.push(this.refusedEntry(uri, r.reason));
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, uris.length) }, reader));
    return { count: uris.length, texts, runs, unread };
  }

  private async analyzeRead(chunk: ReadChunk, token?: vscode.CancellationToken): Promise<Analysed> {
    const { texts, runs, unread } = chunk;
    const dependencies = new Map<string, string[]>();
    if (texts.length === 0) return { runs, dependencies, unread };
    const results = await this.analysis.analyze(texts, 'figures', { token });
    const byPath = new Map(texts.map((t) => [enginePath(t.uri), t.uri]));
    for (const r of results) {
      const uri = byPath.get(r.path);
      if (!uri || !r.recognised || !r.figures) continue;
      runs.push({ ...r.figures, id: uri.toString(), uri: uri.toString(), relativePath: vscode.workspace.asRelativePath(uri, true) });
      if (r.dependencies.length > 0) dependencies.set(uri.toString(), r.dependencies);
    }
    return { runs, dependencies, unread };
  }

  private refusedEntry(uri: vscode.Uri, reason: string): RunSummary {
    return {
      id: uri.toString(),
      uri: uri.toString(),
      relativePath: vscode.workspace.asRelativePath(uri, true),
      label: uri.path.slice(uri.path.lastIndexOf('/') + 1),
      format: 'not read',
      hardwareId: '',
      hardwareName: '',
      definition: { line: 0, character: 0 },
      diagnostics: [{ severity: 'warning', message: `not read: file ${reason}`, line: 0, character: 0 }],
    };
  }

  /** Re-analyses a changed file soon, with the indexed runs that read it (coalesced per file: see DEBOUNCE_MS). */
  private queue(uri: vscode.Uri): void {
    const now = Date.now();
    const key = uri.toString();
    const had = this.queued.get(key);
    const entry = { uri, first: had?.first ?? now, last: now };
    this.queued.set(key, entry);
    // A new event only moves this file's due time later, so the timer moves only if this file is due sooner.
    const due = WorkspaceIndex.due(entry);
    if (!this.queueTimer || due < this.queueDue) this.flushAt(due);
  }

  /** When a queued file is due: 300 ms after its last event, or 1 s after its first (a file that never stops). */
  private static due(q: { first: number; last: number }): number {
    return Math.min(q.last + DEBOUNCE_MS, q.first + MAX_WAIT_MS);
  }

  /**
   * One timer for the earliest due file: a file rewritten continuously (a training job's state file) is analysed
   * about once a second, and neither floods the worker nor holds back a file changed once beside it.
   */
  private scheduleFlush(): void {
    let due = Infinity;
    for (const q of this.queued.values()) due = Math.min(due, WorkspaceIndex.due(q));
    if (due !== Infinity) this.flushAt(due);
  }

  private flushAt(due: number): void {
    if (this.queueTimer) clearTimeout(this.queueTimer);
    this.queueDue = due;
    this.queueTimer = setTimeout(() => {
      this.queueTimer = undefined;
      this.queueDue = Infinity;
      void this.flushQueue();
    }, Math.max(0, due - Date.now()));
  }

  /**
   * Analyses the queued files and the runs that read them, in chunks. One flush at a time, each reading the files
   * as they are then, so results land in the order of the changes and the index ends on the last content.
   */
  private async flushQueue(): Promise<void> {
    // A scan in progress reads everything anyway; what changed meanwhile is flushed when it ends (rescan()).
    if (this.flushing || this.scanning || this.queued.size === 0) return;
    this.flushing = true;
    try {
      const now = Date.now();
      const changed: vscode.Uri[] = [];
      for (const [key, q] of this.queued) {
        if (WorkspaceIndex.due(q) > now) continue;
        changed.push(q.uri);
        this.queued.delete(key);
      }
      const uris = new Map(changed.map((u) => [u.toString(), u]));
      const paths = new Set(changed.map(enginePath));
      for (const [id, deps] of this.dependencies) {
        if (!uris.has(id) && deps.some((d) => paths.has(d))) uris.set(id, vscode.Uri.parse(id));
      }
      const all = [...uris.values()];
      for (let i = 0; i < all.length; i += CHUNK) {
        const chunk = all.slice(i, i + CHUNK);
        const fresh = await this.analyzeUris(chunk).catch((e: unknown) => {
          this.log.error(`re-analysis failed: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        });
        if (!fresh) continue;
        // Said once: a file that stays over the limit while it is rewritten is not logged at every flush.
        const news = fresh.unread.filter((u) => this.unreadFiles.get(u.uri)?.reason !== u.reason);
        for (const u of chunk) {
          this.runs.delete(u.toString());
          this.dependencies.delete(u.toString());
          this.unreadFiles.delete(u.toString());
        }
        for (const r of fresh.runs) this.runs.set(r.id, r);
        for (const [id, deps] of fresh.dependencies) this.dependencies.set(id, deps);
        for (const u of fresh.unread) this.unreadFiles.set(u.uri, u);
        this.logUnread(news);
        this.changed.fire();
      }
    } finally {
      this.flushing = false;
      // Files not yet due, and changes that came in during this flush: their own flush when they are due.
      this.scheduleFlush();
    }
  }

  private remove(uri: vscode.Uri): void {
    // The deleted path may be a folder: its configs go too (VS Code reports only the folder, not each file in it).
    const inside = `${uri.path.replace(/\/$/, '')}/`;
    // Compared as strings (both URIs come from Uri.toString()): no parse per run and event in a deletion storm.
    const self = uri.toString();
    const within = (u: string) => u === self || u.startsWith(`${self.replace(/\/$/, '')}/`);
    let removed = false;
    for (const r of [...this.runs.values()]) {
      if (within(r.uri)) {
        removed = this.runs.delete(r.id) || removed;
        this.dependencies.delete(r.id);
      }
    }
    for (const u of [...this.unreadFiles.keys()]) if (within(u)) this.unreadFiles.delete(u);
    if (removed) this.changed.fire();
    // Runs that read the deleted file (or a file in the deleted folder) are analysed again.
    const gone = (p: string) => p === uri.path || p.startsWith(inside);
    for (const [id, deps] of this.dependencies) if (deps.some(gone)) this.queue(vscode.Uri.parse(id));
  }

  /** One watcher per include pattern; what they report is filtered by the file policy, as the scan is. */
  private watch(): void {
    if (this.watchers.length > 0) return;
    for (const pattern of readSettings().include.flatMap(expandBraces)) {
      const w = vscode.workspace.createFileSystemWatcher(pattern);
      w.onDidCreate((u) => this.queueIfIncluded(u));
      w.onDidChange((u) => this.queueIfIncluded(u));
      w.onDidDelete((u) => this.remove(u));
      this.watchers.push(w);
    }
    // Folders created or deleted with configs inside (a model downloaded or checked out, a folder removed): VS Code
    // reports the folder only, not each file in it, so the file watchers above see nothing. Found by the sidebar
    // integration test (test/integration/suite/sidebar.test.ts).
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    folders.onDidCreate((u) => this.pathCreated(u));
    folders.onDidDelete((u) => this.remove(u));
    this.watchers.push(folders);
  }

  private policyOf(folder: vscode.WorkspaceFolder): FilePolicy {
    const key = folder.uri.toString();
    let policy = this.policies.get(key);
    if (!policy) {
      const s = readSettings(folder.uri);
      policy = filePolicy({ include: s.include, exclude: s.exclude });
      this.policies.set(key, policy);
    }
    return policy;
  }

  /** Whether the file policy of the file's workspace folder takes it as a candidate (as the scan and the CLI do). */
  private isCandidate(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder !== undefined && this.policyOf(folder).isCandidate(vscode.workspace.asRelativePath(uri, false));
  }

  /** Something was created: if it is a folder, the configs in it are read (debounced, like file changes). */
  private pathCreated(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || this.policyOf(folder).skipsFolder(vscode.workspace.asRelativePath(uri, false))) return;
    this.createdPaths.set(uri.toString(), uri);
    if (this.createdTimer) clearTimeout(this.createdTimer);
    this.createdTimer = setTimeout(() => void this.scanCreatedFolders(), 300);
  }

  private async scanCreatedFolders(): Promise<void> {
    const created = [...this.createdPaths.values()];
    this.createdPaths.clear();
    for (const uri of created) {
      const stat = await vscode.workspace.fs.stat(uri).then(
        (s) => s,
        () => undefined,
      );
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!stat || !(stat.type & vscode.FileType.Directory) || !folder) continue;
      const s = readSettings(folder.uri);
      const exclude = s.exclude.flatMap(expandBraces);
      const excludeGlob = exclude.length ? new vscode.RelativePattern(folder, `{${exclude.join(',')}}`) : undefined;
      for (const include of s.include.flatMap(expandBraces)) {
        for (const file of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, include), excludeGlob, MAX_FILES)) this.queueIfIncluded(file);
      }
    }
  }

  private queueIfIncluded(uri: vscode.Uri): void {
    if (!this.isCandidate(uri)) return;
    this.analysis.fileChanged(uri);
    this.queue(uri);
  }

  /** Settings changed: patterns may differ, so watchers are rebuilt and everything is scanned again. */
  reset(): void {
    this.policies.clear();
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [];
    if (this.scannedOnce || this.scanning) void this.rescan();
  }

  dispose(): void {
    this.scanSource?.cancel();
    if (this.queueTimer) clearTimeout(this.queueTimer);
    if (this.createdTimer) clearTimeout(this.createdTimer);
    this.watchers.forEach((w) => w.dispose());
    this.changed.dispose();
    this.progressEmitter.dispose();
  }
}
