import { describe, expect, it } from 'vitest';
import { EndpointOptions } from '../../src/stores/endpoint-options.js';

const options = (body: Record<string, unknown> | null) => new EndpointOptions(body, { section: 'lock_store' });

describe('EndpointOptions', () => {
  it('lower-cases the type and falls back to store_type', () => {
    expect(options({ type: ' Redis ' }).type).toBe('redis');
    expect(options({ store_type: 'SQL' }).type).toBe('sql');
    expect(options(null).type).toBeUndefined();
  });

  it('accepts numbers written as strings, as after ${VAR} expansion', () => {
    expect(options({ port: '6379' }).integer('port')).toBe(6379);
    expect(options({ delay: '0.5' }).number('delay')).toBe(0.5);
    expect(options({ ssl: 'TRUE' }).boolean('ssl', false)).toBe(true);
  });

  it('names the section, the key and the file in a coded error', () => {
    expect(() => options({ port: 'abc' }).integer('port')).toThrow(
      expect.objectContaining({
        code: 'PARLEY_ERR_ENDPOINT_CONFIG',
        message: 'lock_store: `port` must be a whole number, but it is "abc".',
        location: { file: 'endpoints.yml' },
      }),
    );
  });
});
