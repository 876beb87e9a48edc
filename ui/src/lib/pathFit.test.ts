import { describe, expect, it } from 'vitest';
import { fitPath } from './pathFit';

// One unit per character.
const chars = (text: string) => text.length;
const fit = (path: string, width: number) => {
  const { dir, name } = fitPath(path, width, chars);
  return dir + name;
};

describe('fitPath', () => {
  const path = 'src/middleware/limits/rate_limit.rs';

  it('keeps a path that fits, and one without a directory', () => {
    expect(fitPath(path, 100, chars)).toEqual({ dir: 'src/middleware/limits/', name: 'rate_limit.rs', elided: false });
    expect(fitPath('README.md', 3, chars)).toEqual({ dir: '', name: 'README.md', elided: false });
  });

  it('leaves out whole directories, the nearest kept first', () => {
    expect(fit(path, 34)).toBe('…/middleware/limits/rate_limit.rs');
    expect(fit(path, 30)).toBe('src/…/limits/rate_limit.rs');
    expect(fit(path, 22)).toBe('…/limits/rate_limit.rs');
    expect(fit(path, 20)).toBe('src/…/rate_limit.rs');
    expect(fit(path, 16)).toBe('…/rate_limit.rs');
  });

  it('never shortens the name, however narrow', () => {
    expect(fitPath(path, 5, chars)).toEqual({ dir: '…/', name: 'rate_limit.rs', elided: true });
  });

  it('only cuts at slashes: every shown directory is whole', () => {
    for (let width = 0; width < path.length; width++) {
      const { dir } = fitPath(path, width, chars);
      for (const part of dir.split('/').filter((p) => p !== '' && p !== '…')) expect(['src', 'middleware', 'limits']).toContain(part);
    }
  });
});
