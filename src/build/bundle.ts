import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../cli/package-root.js';

/**
 * `npm run build` step two: bundles the compiled CLI into dist/bundle/ so start-up reads a few
 * files instead of hundreds (Ink and its dependencies). React runs in production mode and the
 * optional react-devtools-core is replaced by a stub. Code loaded on demand (the terminal UI)
 * stays in its own chunk.
 */
const outdir = join(PACKAGE_ROOT, 'dist', 'bundle');
// Chunk names carry content hashes: start empty so old chunks do not pile up.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const stub = join(outdir, 'react-devtools-core-stub.js');
writeFileSync(stub, 'export default { initialize() {}, connectToDevTools() {} };\n');

await build({
  entryPoints: [join(PACKAGE_ROOT, 'dist', 'cli', 'entry.js')],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  logLevel: 'warning',
  alias: { 'react-devtools-core': stub },
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages (react) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __kubeLearnRequire } from 'node:module'; const require = __kubeLearnRequire(import.meta.url);" },
});
