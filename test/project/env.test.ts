import { describe, expect, it } from 'vitest';
import { expandEnvVariables, hasEnvReference } from '../../src/project/env.js';

describe('expandEnvVariables', () => {
  it('replaces every ${NAME} in the string', () => {
    expect(expandEnvVariables('http://${HOST}:${PORT}/webhook', { HOST: 'actions', PORT: '5055' })).toEqual({
      value: 'http://actions:5055/webhook',
      missing: [],
    });
  });

  it('lists unset variables once each and leaves them in place', () => {
    expect(expandEnvVariables('${A}-${B}-${A}', { B: 'b' })).toEqual({ value: '${A}-b-${A}', missing: ['A'] });
  });

  it('treats an empty variable as set', () => {
    expect(expandEnvVariables('x${EMPTY}y', { EMPTY: '' }).value).toBe('xy');
  });
});

describe('hasEnvReference', () => {
  it('only matches a complete ${...} reference', () => {
    expect(hasEnvReference('costs ${price}')).toBe(true);
    expect(hasEnvReference('costs $5 or ${')).toBe(false);
  });
});
