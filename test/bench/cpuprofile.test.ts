import { describe, expect, it } from 'vitest';
import { flameGraphSvg, selfTimeByOrigin, topSelfTime, type CpuProfile } from '../../bench/lib/cpuprofile.mjs';

/** root → handle (dist) → parse (dist); samples: 3 in parse, 1 in handle, 1 GC. */
const profile: CpuProfile = {
  startTime: 0,
  endTime: 5000,
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 4] },
    { id: 2, callFrame: { functionName: 'handle', url: 'file:///repo/dist/core/processor.js', lineNumber: 9 }, children: [3] },
    { id: 3, callFrame: { functionName: 'parse', url: 'file:///repo/dist/nlu/interpreter.js', lineNumber: 30 }, children: [] },
    { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 }, children: [] },
  ],
  samples: [3, 3, 2, 3, 4],
  timeDeltas: [1000, 1000, 1000, 1000, 1000],
};

describe('topSelfTime', () => {
  it('ranks functions by self time with their share of all samples', () => {
    const top = topSelfTime(profile, 2);
    expect(top.totalMs).toBe(5);
    expect(top.functions).toEqual([
      { name: 'parse dist/nlu/interpreter.js:31', selfMs: 3, share: 0.6 },
      { name: 'handle dist/core/processor.js:10', selfMs: 1, share: 0.2 },
    ]);
  });
});

describe('selfTimeByOrigin', () => {
  it('groups self time by the folder of dist, the npm package or the native frame the function itself is in', () => {
    expect(selfTimeByOrigin(profile)).toEqual([
      { name: 'dist/nlu', selfMs: 3, share: 0.6 },
      { name: 'dist/core', selfMs: 1, share: 0.2 },
      { name: '(garbage collector)', selfMs: 1, share: 0.2 },
    ]);
  });
});

describe('flameGraphSvg', () => {
  it('draws one frame per merged stack entry, as wide as its inclusive time', () => {
    const svg = flameGraphSvg(profile, { width: 1020 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const widths = Object.fromEntries(
      [...svg.matchAll(/<title>([^<]+?) — [^<]*<\/title><rect x="[\d.]+" y="\d+" width="([\d.]+)"/g)].map((match) => [match[1], Number(match[2])]),
    );
    expect(widths.all).toBeCloseTo(1000);
    expect(widths['handle dist/core/processor.js:10']).toBeCloseTo(800);
    expect(widths['parse dist/nlu/interpreter.js:31']).toBeCloseTo(600);
    expect(widths['(garbage collector)']).toBeCloseTo(200);
  });

  it('escapes frame names for XML', () => {
    const named: CpuProfile = { ...profile, nodes: profile.nodes.map((node) => (node.id === 3 ? { ...node, callFrame: { ...node.callFrame, functionName: 'a<b>&' } } : node)) };
    expect(flameGraphSvg(named)).toContain('a&lt;b&gt;&amp;');
  });
});
