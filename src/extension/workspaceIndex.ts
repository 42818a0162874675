import * as vscode from 'vscode';
import type { RunSummary } from '../protocol/runs';
import type { AnalysisService } from './analysisService';
import { enginePath, readTextFile } from './files';
import { readSettings } from './settings';

/** Files above the size limit are reported only when their name says they are configs. */
const CONFIG_NAME = /(^|\/)(config\.json|[^/]+\.lim\.(ya?ml|json)|[^/]+\.ya?ml)$/i;
const MAX_FILES = 20_000;
const CHUNK = 200;
const READ_CONCURRENCY = 16;

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
  private watchers: vscode.Disposable[] = [];
  private scanning: Promise<void> | undefined;
  private scanSource: vscode.CancellationTokenSource | undefined;
  private queued = new Map<string, vscode.Uri>();
  private queueTimer: ReturnType<typeof setTimeout> | undefined;
  private scannedOnce = false;
  private readonly createdPaths = new Map<string, vscode.Uri>();
  private createdTimer: ReturnType<typeof setTimeout> | undefined;

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

  list(): RunSummary[] {
    return [...this.runs.values()];
  }

  get(id: string): RunSummary | undefined {
    return this.runs.get(id);
  }

  byUri(uri: vscode.Uri): RunSummary | undefined {
    return this.runs.get(uri.toString());
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
    token?.onCancellationRequested(() => source.cancel());
    this.scanSource = source;
    const run = this.scan(source.token).finally(() => {
      if (this.scanSource === source) {
        this.scanning = undefined;
        this.scanSource = undefined;
        this.scannedOnce = true;
        this.changed.fire();
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
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const s = readSettings(folder.uri);
      const exclude = s.exclude.flatMap(expandBraces);
      const excludeGlob = exclude.length ? new vscode.RelativePattern(folder, `{${exclude.join(',')}}`) : undefined;
      for (const include of s.include.flatMap(expandBraces)) {
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, include), excludeGlob, MAX_FILES, token);
        for (const u of uris) found.set(u.toString(), u);
        if (token.isCancellationRequested) return [];
      }
    }
    if (found.size >= MAX_FILES) this.log.warn(`workspace scan: stopped at ${MAX_FILES} candidate files; narrow limLens.files.include`);
    return [...found.values()];
  }

  private async scan(token: vscode.CancellationToken): Promise<void> {
    const t0 = Date.now();
    const candidates = await this.findCandidates(token);
    const total = candidates.length;
    this.progressEmitter.fire({ done: 0, total });
    const next = new Map<string, RunSummary>();
    let done = 0;
    for (let i = 0; i < candidates.length && !token.isCancellationRequested; i += CHUNK) {
      const chunk = candidates.slice(i, i + CHUNK);
      for (const r of await this.analyzeUris(chunk, token)) next.set(r.id, r);
      done += chunk.length;
      this.progressEmitter.fire({ done, total });
    }
    if (token.isCancellationRequested) {
      this.log.info(`workspace scan cancelled after ${done} of ${total} files`);
      return;
    }
    this.runs.clear();
    for (const [k, v] of next) this.runs.set(k, v);
    this.log.info(`workspace scan: ${total} candidate files, ${this.runs.size} configs, ${Date.now() - t0} ms`);
  }

  /** Reads and analyses files; unreadable configs become entries with a diagnostic, other files are dropped. */
  private async analyzeUris(uris: vscode.Uri[], token?: vscode.CancellationToken): Promise<RunSummary[]> {
    const maxBytes = readSettings().maxFileSizeKB * 1024;
    const texts: Array<{ uri: vscode.Uri; text: string }> = [];
    const refused: RunSummary[] = [];
    for (let i = 0; i < uris.length; i += READ_CONCURRENCY) {
      await Promise.all(
        uris.slice(i, i + READ_CONCURRENCY).map(async (uri) => {
          const r = await readTextFile(uri, maxBytes);
          if (r.ok) texts.push({ uri, text: r.text });
          else if (CONFIG_NAME.test(uri.path)) refused.push(this.refusedEntry(uri, r.reason));
        }),
      );
    }
    if (texts.length === 0) return refused;
    const results = await this.analysis.analyze(texts, 'figures', { token });
    const byPath = new Map(texts.map((t) => [enginePath(t.uri), t.uri]));
    const out: RunSummary[] = [...refused];
    for (const r of results) {
      const uri = byPath.get(r.path);
      if (!uri || !r.recognised || !r.figures) continue;
      out.push({ ...r.figures, id: uri.toString(), uri: uri.toString(), relativePath: vscode.workspace.asRelativePath(uri, true) });
    }
    return out;
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
      diagnostics: [{ severity: 'warning', message: `not read: the file ${reason}`, line: 0, character: 0 }],
    };
  }

  /** Re-analyses one file soon, with the indexed configs in its folder and below (they may read it). */
  private queue(uri: vscode.Uri): void {
    this.queued.set(uri.toString(), uri);
    const dir = uri.path.slice(0, uri.path.lastIndexOf('/') + 1);
    for (const r of this.runs.values()) {
      const u = vscode.Uri.parse(r.uri);
      if (u.path.startsWith(dir)) this.queued.set(r.uri, u);
    }
    if (this.queueTimer) clearTimeout(this.queueTimer);
    this.queueTimer = setTimeout(() => void this.flushQueue(), 300);
  }

  private async flushQueue(): Promise<void> {
    const uris = [...this.queued.values()];
    this.queued.clear();
    if (this.scanning || uris.length === 0) return;
    const fresh = await this.analyzeUris(uris).catch((e: unknown) => {
      this.log.error(`re-analysis failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });
    if (!fresh) return;
    for (const u of uris) this.runs.delete(u.toString());
    for (const r of fresh) this.runs.set(r.id, r);
    this.changed.fire();
  }

  private remove(uri: vscode.Uri): void {
    // The deleted path may be a folder: its configs go too (VS Code reports only the folder, not each file in it).
    const inside = `${uri.path.replace(/\/$/, '')}/`;
    let removed = false;
    for (const r of [...this.runs.values()]) {
      if (r.uri === uri.toString() || vscode.Uri.parse(r.uri).path.startsWith(inside)) removed = this.runs.delete(r.id) || removed;
    }
    if (removed) this.changed.fire();
    const dir = uri.path.slice(0, uri.path.lastIndexOf('/') + 1);
    for (const r of this.runs.values()) if (vscode.Uri.parse(r.uri).path.startsWith(dir)) this.queue(vscode.Uri.parse(r.uri));
  }

  /** One watcher per include pattern; exclusions are re-checked by the scan's own rules on re-analysis. */
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

  /** Something was created: if it is a folder, the configs in it are read (debounced, like file changes). */
  private pathCreated(uri: vscode.Uri): void {
    if (/\/(node_modules|\.git)(\/|$)/.test(uri.path)) return;
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
    if (/\/(node_modules|\.git)\//.test(uri.path)) return;
    this.analysis.fileChanged(uri);
    this.queue(uri);
  }

  /** Settings changed: patterns may differ, so watchers are rebuilt and everything is scanned again. */
  reset(): void {
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
