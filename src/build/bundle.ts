import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
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

/**
 * yoga-layout (Ink's layout engine) is Emscripten output that loads its WebAssembly, embedded as
 * a base64 data: URL, with fetch() whenever fetch exists. On Node that pulls in the whole undici
 * HTTP client (about 30 ms) to decode a string it already holds. Telling it fetch is absent makes
 * it decode the base64 directly and instantiate the same bytes.
 */
const yogaWithoutFetch: Plugin = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = source.replaceAll('"function"!=typeof fetch', '!0');
      if (patched === source) throw new Error('yoga-layout no longer looks as expected: remove or update the yoga-without-fetch plugin');
      return { contents: patched, loader: 'js' };
    });
  },
};

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
  plugins: [yogaWithoutFetch],
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages (react) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __kubeLearnRequire } from 'node:module'; const require = __kubeLearnRequire(import.meta.url);" },
});
