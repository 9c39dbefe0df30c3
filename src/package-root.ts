/**
 * Where Parley's package lives on disk, found from this module's location by walking up to the
 * `package.json` named `parley`. Files shipped beside the code (the starter project, the built
 * browser bundles) are found from there, whether the code runs from `dist/` module by module or
 * from the single bundled CLI in `dist/cli-bundle/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'parley') return directory;
      } catch {
        // An unreadable package.json is not ours: keep walking up.
      }
    }
    if (dirname(directory) === directory) throw new Error(`Parley's package.json was not found above ${start}.`);
  }
}

/** The folder holding Parley's package.json. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside Parley's package. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
