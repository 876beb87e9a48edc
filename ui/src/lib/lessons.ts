/**
 * The Learn list: the lessons of the repository's reviews grouped by where they come from
 * (seniors' teaching notes, pinned model explanations, the findings rules' teaching), and
 * whether learning mode is on (kept across restarts).
 */
import type { Lesson, LessonSource, NoteKind } from './bindings';

/** The groups in the order the list shows them, with their headings. */
export const LESSON_SOURCES: readonly { source: LessonSource; label: string }[] = [
  { source: 'teachingNote', label: 'Teaching notes' },
  { source: 'explanation', label: 'Pinned explanations' },
  { source: 'finding', label: 'From the findings' },
];

export interface LessonGroup {
  source: LessonSource;
  label: string;
  lessons: Lesson[];
}

/** The lessons by source, in the order of `LESSON_SOURCES`, each in the order it came; empty groups left out. */
export function groupLessons(lessons: readonly Lesson[]): LessonGroup[] {
  return LESSON_SOURCES.map(({ source, label }) => ({ source, label, lessons: lessons.filter((lesson) => lesson.source === source) })).filter(
    (group) => group.lessons.length > 0,
  );
}

/** "src/a.rs:12 · HEAD · Dana Smith": where a lesson was written, on which review, by whom. */
export function lessonWhere(lesson: Lesson): string {
  const at = lesson.line > 0 ? `${lesson.path}:${lesson.line}` : lesson.path;
  return [at, lesson.review, lesson.author].filter((part) => part !== null && part !== '').join(' · ');
}

/** Threads learning mode brings forward in the diff: what was written to teach. */
export function isLessonKind(kind: NoteKind): boolean {
  return kind === 'teaching' || kind === 'explanation';
}

/** Where learning mode's choice is kept. */
export const LEARNING_KEY = 'redline.learning';

/** The stored choice: on only when it says so. */
export function parseLearning(value: string | null): boolean {
  return value === 'on';
}

export function learningValue(on: boolean): string {
  return on ? 'on' : 'off';
}
