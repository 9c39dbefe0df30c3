import { describe, expect, it } from 'vitest';
import { currentRequestId, newRequestId, runWithRequestContext, saneRequestId } from '../../src/observability/request-context.js';
import { captureLogs } from '../channels/helpers/logs.js';

describe('saneRequestId', () => {
  it('keeps ordinary ids such as UUIDs and trace ids', () => {
    expect(saneRequestId('0b6c3c1e-7a51-4b8e-9f3d-2d1c6a1e9f00')).toBe('0b6c3c1e-7a51-4b8e-9f3d-2d1c6a1e9f00');
    expect(saneRequestId(['req_1:2/3', 'second'])).toBe('req_1:2/3');
  });

  it('drops ids with control characters, spaces or more than 128 characters', () => {
    expect(saneRequestId('abc\ndef')).toBeUndefined();
    expect(saneRequestId('a b')).toBeUndefined();
    expect(saneRequestId('x'.repeat(129))).toBeUndefined();
    expect(saneRequestId('')).toBeUndefined();
    expect(saneRequestId(undefined)).toBeUndefined();
  });

  it('makes fresh ids that are sane and distinct', () => {
    const a = newRequestId();
    expect(saneRequestId(a)).toBe(a);
    expect(newRequestId()).not.toBe(a);
  });
});

describe('request context in logs', () => {
  it('adds requestId to every line logged while the context runs, across awaits and child loggers', async () => {
    const logs = captureLogs();
    const child = logs.logger.child({ module: 'processor' });
    await runWithRequestContext({ requestId: 'req-1' }, async () => {
      child.info('before');
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(currentRequestId()).toBe('req-1');
      child.info('after');
    });
    child.info('outside');
    const lines = logs.entries();
    expect(lines.map((line) => [line.msg, line.requestId])).toEqual([
      ['before', 'req-1'],
      ['after', 'req-1'],
      ['outside', undefined],
    ]);
    expect(currentRequestId()).toBeUndefined();
  });
});
