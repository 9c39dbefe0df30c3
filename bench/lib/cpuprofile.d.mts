/** Types of cpuprofile.mjs (for the tests, which are TypeScript). */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number; scriptId?: string }; children?: number[]; hitCount?: number }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
export function topSelfTime(profile: CpuProfile, limit?: number): { totalMs: number; functions: Array<{ name: string; selfMs: number; share: number }> };
export function flameGraphSvg(profile: CpuProfile, options?: { title?: string; width?: number; rowHeight?: number; minWidth?: number }): string;
export function selfTimeByPackage(profile: CpuProfile): Array<{ name: string; selfMs: number; share: number }>;
export function selfTimeByOrigin(profile: CpuProfile): Array<{ name: string; selfMs: number; share: number }>;
