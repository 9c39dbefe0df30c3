/** Where a result was measured: machine, Node version and date go into every result file. */
import os from 'node:os';
import { readFileSync } from 'node:fs';

function parleyVersion() {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return pkg.version;
}

/** The machine this run measured. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    parley: parleyVersion(),
    date: new Date().toISOString(),
  };
}
