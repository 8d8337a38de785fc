import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The kube-learn package folder (where package.json and scenarios/ are), found by walking up from
 * this module, so it is right whether the code runs from dist/ or from the bundle.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kube-learn') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the kube-learn package folder');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
