import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/logger.js';
import { DEFAULT_POLICIES, PolicyOptions, resolvePolicyConfigs } from '../../../src/core/policies/policy-config.js';

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  return { logger: createLogger({ destination: stream }), lines };
}

describe('resolvePolicyConfigs', () => {
  it('uses Rasa’s default policies for a missing or empty policies section, and says so', () => {
    const { logger, lines } = capture();
    expect(resolvePolicyConfigs(null, logger).map((policy) => policy.name)).toEqual([
      'MemoizationPolicy',
      'RulePolicy',
      'UnexpecTEDIntentPolicy',
      'TEDPolicy',
    ]);
    expect(resolvePolicyConfigs([]).map((policy) => policy.name)).toEqual(DEFAULT_POLICIES.map((policy) => policy.name));
    expect(lines.join('')).toContain("using Rasa's default policies");
  });

  it('keeps configured policies and their options', () => {
    expect(resolvePolicyConfigs([{ name: 'RulePolicy', core_fallback_threshold: 0.4 }])).toEqual([{ name: 'RulePolicy', core_fallback_threshold: 0.4 }]);
  });

  it.each([
    ['MappingPolicy', 'rules'],
    ['FormPolicy', "Forms are run by 'RulePolicy'"],
    ['FallbackPolicy', 'core_fallback_threshold'],
    ['TwoStageFallbackPolicy', 'action_two_stage_fallback'],
  ])('explains what replaces the removed %s', (name, hint) => {
    expect(() => resolvePolicyConfigs([{ name }])).toThrowError(expect.objectContaining({ code: 'PARLEY_ERR_POLICY_UNSUPPORTED' }));
    expect(() => resolvePolicyConfigs([{ name }])).toThrowError(hint);
  });

  it('rejects custom Python policies and unknown names, listing what works', () => {
    expect(() => resolvePolicyConfigs([{ name: 'my_module.MyPolicy' }])).toThrowError(/custom Python class/);
    expect(() => resolvePolicyConfigs([{ name: 'TedPolicy' }])).toThrowError(/unknown\. Parley supports Rasa 3's RulePolicy/);
  });
});

describe('PolicyOptions', () => {
  it('reads options with defaults and the policy’s priority', () => {
    const options = new PolicyOptions({ name: 'RulePolicy', core_fallback_threshold: 0.5 });
    expect(options.number('core_fallback_threshold', 0.3)).toBe(0.5);
    expect(options.boolean('restrict_rules', true)).toBe(true);
    expect(options.priority()).toBe(4);
    expect(new PolicyOptions({ name: 'TEDPolicy', priority: 7 }).priority()).toBe(7);
  });

  it('rejects options of the wrong type with a message naming the policy', () => {
    expect(() => new PolicyOptions({ name: 'MemoizationPolicy', max_history: 0 }).maxHistory(null)).toThrowError(
      expect.objectContaining({ code: 'PARLEY_ERR_CONFIG_INVALID', message: expect.stringContaining("'max_history' of the policy 'MemoizationPolicy'") }),
    );
    expect(() => new PolicyOptions({ name: 'RulePolicy', core_fallback_threshold: 2 }).number('core_fallback_threshold', 0.3, { min: 0, max: 1 })).toThrowError(/between 0 and 1/);
    expect(() => new PolicyOptions({ name: 'RulePolicy', restrict_rules: 'yes' }).boolean('restrict_rules', true)).toThrowError(/true or false/);
  });
});
