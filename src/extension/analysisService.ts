import * as vscode from 'vscode';
import type { AnalyzedDocument, FieldInfo } from '../protocol/analysis';
import type { DocumentAnalysis } from '../core/estimate';
import { fieldAtOffset } from '../core/configs/fields';
import { analyzeInRounds } from '../core/files/rounds';
import { enginePath, readTextFile, tooLarge, uriForPath } from './files';
import { readSettings, userAssumptions } from './settings';
import { JobError, type WorkerClient } from './workerClient';
import { SharedJob, type CancelToken } from './workerPool';

export interface FullAnalysis extends AnalyzedDocument {
  analysis: DocumentAnalysis;
  /** Paths of the other files the result depends on. */
  dependencies: string[];
}

interface CacheEntry {
  version: number;
  epoch: number;
  /** The analysis, shared by every caller (hover, CodeLens, problems); cancelled when all that can cancel did. */
  job: SharedJob<FullAnalysis>;
  dependencies: Set<string>;
  /** Field hovers of this version, by field path: a repeated hover costs a map lookup. */
  fields: Map<string, SharedJob<FieldInfo>>;
}

/**
 * Every analysis goes through here: the worker does the work, this class fetches the files the worker asks for
 * (open editors first, so unsaved edits count), and keeps one result per open document until it, a file it
 * read, or a setting changes.
 */
export class AnalysisService implements vscode.Disposable {
  private readonly cache = new Map<string, CacheEntry>();
  /** Documents whose size was logged once already. */
  private readonly saidOversize = new Set<string>();
  private epoch = 0;
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires when cached results went stale: a document (or every document, undefined) must be asked again. */
  readonly onDidInvalidate = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.fileChanged(e.document.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cache.delete(d.uri.toString());
        this.saidOversize.delete(d.uri.toString());
      }),
    );
  }

  /**
   * The full analysis of an open document, from the cache when nothing it depends on changed. Callers share one
   * job; `token` (a hover's, a CodeLens's) cancels it only when no other caller still waits for it, and a
   * cancelled analysis leaves the cache.
   */
  analyzeDocument(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<FullAnalysis> {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version && hit.epoch === this.epoch) return hit.job.join(token);
    // An open editor is held to the same size limit as a file on disk: its text is neither copied nor analysed.
    // The length is the end offset of the last line, which costs nothing (getText() would copy the whole text).
    const limit = readSettings(doc.uri).maxFileSizeKB * 1024;
    const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    if (length > limit) return Promise.resolve(this.oversize(doc, length, limit));
    const dependencies = new Set<string>();
    const drop = () => {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    };
    const job = new SharedJob<FullAnalysis>(
      (shared) =>
        this.analyze([{ uri: doc.uri, text: doc.getText() }], 'full', { token: shared }).then((results) => {
          if (shared.isCancellationRequested) throw new JobError('cancelled', 'cancelled');
          const r = results[0] as FullAnalysis;
          for (const d of r.dependencies) dependencies.add(d);
          return r;
        }),
      drop,
    );
    const entry: CacheEntry = { version: doc.version, epoch: this.epoch, dependencies, fields: new Map(), job };
    job.promise.catch(drop);
    this.cache.set(key, entry);
    return job.join(token);
  }

  /** What an open document over the size limit gets instead of an analysis: one message, and nothing read. */
  private oversize(doc: vscode.TextDocument, length: number, limit: number): FullAnalysis {
    const path = enginePath(doc.uri);
    const message = `LIM Lens does not read this file: it ${tooLarge(length, limit)}`;
    if (!this.saidOversize.has(doc.uri.toString())) {
      this.saidOversize.add(doc.uri.toString());
      this.log.info(`${doc.uri.toString(true)}: ${message}`);
    }
    return {
      path,
      missing: [],
      read: [],
      recognised: true,
      dependencies: [],
      analysis: { file: path, fields: [], diagnostics: [{ file: path, line: 1, column: 1, field: '', severity: 'info', code: 'file-too-large', message, offset: 0, length: 0 }] },
    };
  }

  /** The cached result if it is current, without starting any work (for latency-sensitive callers). */
  peek(doc: vscode.TextDocument): Promise<FullAnalysis> | undefined {
    const hit = this.cache.get(doc.uri.toString());
    return hit && hit.version === doc.version && hit.epoch === this.epoch ? hit.job.promise : undefined;
  }

  /** The field at `offset` and how it moves the estimate; cached per document version and field. */
  async fieldInfo(doc: vscode.TextDocument, offset: number, token?: vscode.CancellationToken): Promise<FieldInfo> {
    const full = await this.analyzeDocument(doc, token);
    const field = fieldAtOffset(full.analysis.fields, full.path, offset);
    if (!field) return {};
    const entry = this.cache.get(doc.uri.toString());
    const current = entry?.version === doc.version ? entry : undefined;
    const key = field.path.join('\u0000');
    const hit = current?.fields.get(key);
    if (hit) return hit.join(token);
    const drop = () => {
      if (current?.fields.get(key) === job) current.fields.delete(key);
    };
    const job = new SharedJob<FieldInfo>(async (shared) => {
      const files = await this.readMany(full.dependencies.map((p) => uriForPath(doc.uri, p)));
      if (shared.isCancellationRequested) throw new JobError('cancelled', 'cancelled');
      return this.worker.run('fieldInfo', { doc: { path: enginePath(doc.uri), text: doc.getText() }, files, assumptions: userAssumptions(doc.uri), offset }, { token: shared });
    }, drop);
    if (current) {
      current.fields.set(key, job);
      job.promise.catch(drop);
    }
    return job.join(token);
  }

  /**
   * Analyses documents (texts given) in rounds: files the worker reports missing are read and the documents that
   * needed them are analysed again. Once `token` is cancelled it returns the documents finished so far.
   */
  async analyze(
    docs: Array<{ uri: vscode.Uri; text: string; explicit?: boolean }>,
    detail: 'full' | 'figures',
    options: { token?: CancelToken; onDone?: (n: number) => void; files?: Map<string, string | null> } = {},
  ): Promise<Array<AnalyzedDocument & { dependencies: string[] }>> {
    const assumptions = userAssumptions(docs[0]?.uri);
    return analyzeInRounds(docs, {
      pathOf: (d) => enginePath(d.uri),
      analyze: async (pending, files) => {
        let out: AnalyzedDocument[];
        try {
          out = await this.worker.run('analyze', { docs: pending.map((d) => ({ path: enginePath(d.uri), text: d.text, explicit: d.explicit })), files, assumptions, detail }, { token: options.token });
        } catch (e) {
          if (options.token?.isCancellationRequested && e instanceof JobError && e.code === 'cancelled') return undefined;
          throw e;
        }
        // Cancelled: what the worker sent may be cut short (it stops between documents), so this round counts for
        // nothing; the caller gets the documents finished before (a scan drops them anyway).
        return options.token?.isCancellationRequested ? undefined : out;
      },
      read: (wanted) => this.readMany(wanted.map(({ doc, path }) => uriForPath(doc.uri, path))),
      files: options.files,
      onDone: options.onDone,
    });
  }

  /** Texts of files by engine path; an open editor's text wins over the disk. */
  private async readMany(uris: vscode.Uri[]): Promise<Record<string, string | null>> {
    const maxBytes = readSettings().maxFileSizeKB * 1024;
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const out: Record<string, string | null> = {};
    await Promise.all(
      uris.map(async (uri) => {
        const doc = open.get(uri.toString());
        if (doc) {
          out[enginePath(uri)] = doc.getText();
          return;
        }
        const r = await readTextFile(uri, maxBytes);
        out[enginePath(uri)] = r.ok ? r.text : null;
      }),
    );
    return out;
  }

  /** A file changed on disk or in an editor: drop results that read it. */
  fileChanged(uri: vscode.Uri): void {
    const path = enginePath(uri);
    for (const [key, entry] of this.cache) {
      if (entry.dependencies.has(path)) {
        this.cache.delete(key);
        this.changed.fire(vscode.Uri.parse(key));
      }
    }
  }

  /** Settings changed: every result is stale. */
  invalidateAll(): void {
    this.epoch++;
    this.cache.clear();
    this.log.debug('analysis cache cleared');
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
    this.cache.clear();
  }
}
