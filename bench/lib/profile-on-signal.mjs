/**
 * Preload (`node --import <this> …`) that CPU-profiles only what happens between two SIGUSR2
 * signals, so a profile of the hot path leaves start-up out. The profile is written to the file
 * named by PARLEY_BENCH_PROFILE (V8 .cpuprofile format, as `--cpu-prof` writes).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const target = process.env.PARLEY_BENCH_PROFILE;
if (target) {
  const session = new Session();
  session.connect();
  let running = false;
  const post = (method, params = {}) =>
    new Promise((resolvePost, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolvePost(result))));
  process.on('SIGUSR2', async () => {
    if (!running) {
      running = true;
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 250 });
      await post('Profiler.start');
      process.stderr.write('profile started\n');
      return;
    }
    running = false;
    const { profile } = await post('Profiler.stop');
    writeFileSync(target, JSON.stringify(profile));
    process.stderr.write('profile written\n');
  });
}
