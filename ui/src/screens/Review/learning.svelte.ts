/**
 * Learning mode, the junior developer's view: whether it is on (kept across restarts), and the
 * Learn list, the lessons of every review of the repository (teaching notes, pinned
 * explanations, the findings' teaching), each body rendered by the core as safe HTML.
 */
import { commands, type LearnReport } from '../../lib/bindings';
import { describeError, type ErrorView } from '../../lib/errorView';
import { LEARNING_KEY, learningValue, parseLearning } from '../../lib/lessons';

function readLearning(): boolean {
  try {
    return parseLearning(localStorage.getItem(LEARNING_KEY));
  } catch {
    // Storage refused (e.g. disabled): off, not remembered.
    return false;
  }
}

export class LearningState {
  /** Teaching notes, pinned explanations and findings' teaching are brought forward in the diff. */
  on = $state(readLearning());
  /** The lessons, once they arrived. */
  report = $state.raw<LearnReport | null>(null);
  /** Each lesson's body as safe HTML, by its index in the report. */
  html = $state.raw<readonly (string | null)[]>([]);
  loading = $state(false);
  error = $state.raw<ErrorView | null>(null);

  #repo: string | null = null;
  #asked = 0;

  set(on: boolean): void {
    this.on = on;
    try {
      localStorage.setItem(LEARNING_KEY, learningValue(on));
    } catch {
      // Not remembered; the choice still holds for this window.
    }
  }

  /** Reads the lessons of `repo`'s reviews (again: a note may have been written since). */
  async load(repo: string | null): Promise<void> {
    if (repo !== this.#repo) {
      this.report = null;
      this.html = [];
    }
    this.#repo = repo;
    const asked = ++this.#asked;
    if (repo === null) return;
    this.loading = true;
    this.error = null;
    try {
      const result = await commands.learn(repo, null);
      if (asked !== this.#asked) return;
      if (result.status === 'error') {
        this.error = describeError(result.error);
        return;
      }
      const bodies = await Promise.all(result.data.lessons.map((lesson) => commands.previewMarkdown(lesson.body).catch(() => null)));
      if (asked !== this.#asked) return;
      this.report = result.data;
      this.html = bodies;
    } catch (error) {
      if (asked === this.#asked) this.error = describeError(error);
    } finally {
      if (asked === this.#asked) this.loading = false;
    }
  }
}
