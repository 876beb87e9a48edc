import { describe, expect, it } from 'vitest';
import type { Lesson } from './bindings';
import { groupLessons, isLessonKind, learningValue, lessonWhere, parseLearning } from './lessons';

function lesson(source: Lesson['source'], title: string, extra: Partial<Lesson> = {}): Lesson {
  return { source, title, review: 'HEAD', path: 'src/a.rs', line: 3, body: 'Why.', author: null, ...extra };
}

describe('groupLessons', () => {
  it('groups by source in a fixed order, keeping each group in the order given', () => {
    const lessons = [lesson('finding', 'f1'), lesson('explanation', 'e1'), lesson('teachingNote', 't1'), lesson('finding', 'f2'), lesson('teachingNote', 't2')];
    const groups = groupLessons(lessons);
    expect(groups.map((g) => [g.source, g.label, g.lessons.map((l) => l.title)])).toEqual([
      ['teachingNote', 'Teaching notes', ['t1', 't2']],
      ['explanation', 'Pinned explanations', ['e1']],
      ['finding', 'From the findings', ['f1', 'f2']],
    ]);
  });

  it('leaves out empty groups', () => {
    expect(groupLessons([lesson('finding', 'f')]).map((g) => g.source)).toEqual(['finding']);
    expect(groupLessons([])).toEqual([]);
  });
});

describe('lessonWhere', () => {
  it('names the place, the review and the author when known', () => {
    expect(lessonWhere(lesson('teachingNote', 't', { author: 'Dana Smith' }))).toBe('src/a.rs:3 · HEAD · Dana Smith');
    expect(lessonWhere(lesson('finding', 'f', { line: 0, review: '' }))).toBe('src/a.rs');
  });
});

describe('learning mode', () => {
  it('is on only when stored so', () => {
    expect(parseLearning('on')).toBe(true);
    expect(parseLearning('off')).toBe(false);
    expect(parseLearning(null)).toBe(false);
    expect(parseLearning('yes')).toBe(false);
    expect(parseLearning(learningValue(true))).toBe(true);
    expect(parseLearning(learningValue(false))).toBe(false);
  });

  it('brings forward teaching notes and pinned explanations only', () => {
    expect(isLessonKind('teaching')).toBe(true);
    expect(isLessonKind('explanation')).toBe(true);
    expect(isLessonKind('comment')).toBe(false);
    expect(isLessonKind('mustFix')).toBe(false);
  });
});
