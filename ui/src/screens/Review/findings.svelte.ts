/**
 * The findings of the open review and of the file on screen, and which explanation is open.
 *
 * The review's findings (the panel, the file list's badges and risk order) are asked for once
 * the review is drawn; the shown file's (its gutter) as soon as its lines are on screen, with a
 * call that reads only that file, so markers never wait for the whole review. Until the file's
 * own answer arrives its gutter shows what the review's report says about it. The rules'
 * teaching texts are asked for once. Nothing here blocks the review: a failure (e.g. an invalid
 * `.redline.toml`) is kept for the panel to show, and the diff stays as it is.
 */
import { commands, type FileDiff, type Finding, type FindingsReport, type Review, type RuleInfo, type Target } from '../../lib/bindings';
import { describeError, type ErrorView } from '../../lib/errorView';
import { sameLine, type FindingLine } from '../../lib/findings';
import { LatestRequest } from '../../lib/latest';
import { displayPath } from '../../lib/path';

/** A line as a set key. */
function lineKey(at: FindingLine): string {
  return `${at.side}:${at.line}:${at.path}`;
}

/** What decides whether an answer about `file` still applies: its place and both sides' content. */
function fileKey(file: FileDiff): unknown[] {
  return [file.oldPath, file.newPath, file.oldId, file.newId, file.hunks.map((h) => h.id)];
}

export class FindingsState {
  /** The open review's findings, once they arrived (kept through a reload of the same target). */
  report = $state.raw<FindingsReport | null>(null);
  /** The review's findings are on their way. */
  loading = $state(false);
  /** Why the review's findings could not be computed. */
  error = $state.raw<ErrorView | null>(null);
  /** The shown file's own findings, once they arrived. */
  shownFile = $state.raw<{ path: string; findings: Finding[] } | null>(null);
  /** Every rule by id, once asked for. */
  rules = $state.raw<ReadonlyMap<string, RuleInfo>>(new Map());
  /** The line whose explanation is open under it. */
  open = $state.raw<FindingLine | null>(null);
  /** A line picked in the panel, to be scrolled to and focused once its file is drawn. */
  jump = $state.raw<{ at: FindingLine; n: number } | null>(null);

  #review = new LatestRequest();
  #reportFor: string | null = null;
  #file = new LatestRequest();
  #rulesAsked = false;

  /** Asks for the findings of `review` (nothing for `null`). */
  showReview(repo: string | null, review: Review | null): void {
    this.#askRules();
    if (repo === null || review === null) {
      this.#review.reset();
      this.#reportFor = null;
      this.report = null;
      this.error = null;
      this.loading = false;
      return;
    }
    const current = this.#review.begin(JSON.stringify([repo, review.target, review.files.map(fileKey)]));
    if (current === null) return;
    // The same target reloaded keeps its findings until the new answer; another starts empty.
    const reportFor = JSON.stringify([repo, review.target]);
    if (reportFor !== this.#reportFor) {
      this.report = null;
      this.open = null;
    }
    this.#reportFor = reportFor;
    this.error = null;
    this.loading = true;
    void commands.reviewFindings(repo, review.target).then(
      (result) => {
        if (!current()) return;
        this.loading = false;
        if (result.status === 'ok') {
          this.report = result.data;
          this.error = null;
        } else {
          this.report = null;
          this.error = describeError(result.error);
        }
      },
      (error: unknown) => {
        if (!current()) return;
        this.loading = false;
        this.report = null;
        this.error = describeError(error);
      },
    );
  }

  /** Asks for the findings of the shown `file` (nothing for `null`, binary or empty files). */
  showFile(repo: string | null, target: Target | null, file: FileDiff | null): void {
    const path = file === null ? null : (file.newPath ?? file.oldPath);
    if (repo === null || target === null || file === null || path === null || file.binary || file.hunks.length === 0) {
      this.#file.reset();
      this.shownFile = null;
      return;
    }
    const current = this.#file.begin(JSON.stringify([repo, target, fileKey(file)]));
    if (current === null) return;
    if (this.shownFile?.path !== displayPath(file)) this.shownFile = null;
    void commands.fileFindings(repo, target, path, file.oldPath).then(
      (result) => {
        if (!current()) return;
        // A failure leaves the report's findings of the file in its gutter (the panel says why).
        this.shownFile = result.status === 'ok' ? { path: displayPath(file), findings: result.data } : null;
      },
      () => undefined,
    );
  }

  /** The findings to mark in `file`'s gutter: its own answer, else what the report says. */
  findingsOf(file: FileDiff): Finding[] {
    const path = displayPath(file);
    if (this.shownFile?.path === path) return this.shownFile.findings;
    return this.report?.findings.filter((finding) => finding.path === path) ?? [];
  }

  /** The rule's teaching text and fix hint: from the rule list, else from the report. */
  rule(id: string): RuleInfo | undefined {
    return this.rules.get(id) ?? this.report?.rules.find((rule) => rule.id === id);
  }

  /**
   * Learning mode: every finding's explanation (its teaching text) is open under its line until
   * the reviewer closes it, instead of the one picked.
   */
  learning = $state(false);
  /** In learning mode, the lines whose explanation the reviewer closed. */
  closedInLearning = $state.raw<ReadonlySet<string>>(new Set());

  setLearning(on: boolean): void {
    this.learning = on;
    this.closedInLearning = new Set();
  }

  isOpen(at: FindingLine): boolean {
    return this.learning ? !this.closedInLearning.has(lineKey(at)) : sameLine(this.open, at);
  }

  /** Opens the explanation under `at`, or closes it when it is open. */
  toggle(at: FindingLine): void {
    if (this.learning) {
      const closed = new Set(this.closedInLearning);
      if (!closed.delete(lineKey(at))) closed.add(lineKey(at));
      this.closedInLearning = closed;
      return;
    }
    this.open = this.isOpen(at) ? null : at;
  }

  /** Closes the explanation under `at` (in learning mode, that one), or the one open. */
  close(at: FindingLine | null = null): void {
    if (this.learning && at !== null) {
      this.closedInLearning = new Set([...this.closedInLearning, lineKey(at)]);
      return;
    }
    this.open = null;
  }

  /** Opens the explanation under `at` and asks the diff to bring it into view. */
  jumpTo(at: FindingLine): void {
    this.open = at;
    if (this.closedInLearning.has(lineKey(at))) this.closedInLearning = new Set([...this.closedInLearning].filter((key) => key !== lineKey(at)));
    this.jump = { at, n: (this.jump?.n ?? 0) + 1 };
  }

  #askRules(): void {
    if (this.#rulesAsked) return;
    this.#rulesAsked = true;
    commands.findingsRules().then(
      (rules) => (this.rules = new Map(rules.map((rule) => [rule.id, rule]))),
      // The report's rules still explain what it found.
      () => undefined,
    );
  }
}
