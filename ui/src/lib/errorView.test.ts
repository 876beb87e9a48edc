import { describe, expect, it } from 'vitest';
import { describeError, errorTitle } from './errorView';

describe('describeError', () => {
  it('keeps a command error kind and its exact message', () => {
    const message = "'/tmp/x' is not inside a git repository";
    expect(describeError({ kind: 'notARepository', message })).toEqual({
      kind: 'notARepository',
      title: 'Not a git repository',
      message,
    });
  });
  it('keeps an unfamiliar kind, with a generic title', () => {
    expect(describeError({ kind: 'somethingNew', message: 'm' })).toEqual({
      kind: 'somethingNew',
      title: 'Something went wrong',
      message: 'm',
    });
  });
  it('shows a thrown exception', () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      kind: 'exception',
      title: 'Unexpected error',
      message: 'x is undefined',
    });
    expect(describeError(new Error('')).message).toBe('Error');
  });
  it('shows a plain-string IPC rejection as it is', () => {
    expect(describeError('command open_review not found')).toEqual({
      kind: 'ipc',
      title: 'The request failed',
      message: 'command open_review not found',
    });
  });
  it('falls back to JSON, then to String, for anything else', () => {
    expect(describeError({ code: 7 })).toMatchObject({ kind: 'unknown', message: '{"code":7}' });
    expect(describeError(undefined)).toMatchObject({ kind: 'unknown', message: 'undefined' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeError(cyclic)).toMatchObject({ kind: 'unknown', message: '[object Object]' });
  });
});

describe('errorTitle', () => {
  it('names each core error kind', () => {
    expect(errorTitle('pathNotFound')).toBe('Path not found');
    expect(errorTitle('git')).toBe('Git error');
    expect(errorTitle('fileNotInTarget')).toBe('File not in this target');
    expect(errorTitle('corruptRepository')).toBe('Corrupt repository');
    expect(errorTitle('shallowHistory')).toBe('History cut off by a shallow clone');
    expect(errorTitle('invalidConfig')).toBe('Invalid configuration');
    expect(errorTitle('databaseTooNew')).toBe('Review database from a newer Redline');
    expect(errorTitle('needsConfirmation')).toBe('Approval needs confirmation');
    expect(errorTitle('toString')).toBe('Something went wrong');
  });
});
