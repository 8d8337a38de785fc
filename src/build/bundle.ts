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

/**
 * Ink turns each line of a frame into text with @alcalzone/ansi-tokenize's styledCharsToString,
 * which works out the escape codes between every two neighbouring characters from scratch (three
 * Sets and several arrays per character): most of the cost of drawing the first frame while that
 * code is still cold. Neighbours with the same styles (nearly all of them) need no codes at all,
 * which is what the diff would find; this answers that case without computing it.
 */
const styledCharsSameStyles: Plugin = {
  name: 'styled-chars-same-styles',
  setup(b) {
    b.onLoad({ filter: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const diff = 'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));';
      if (!source.includes(diff)) throw new Error('@alcalzone/ansi-tokenize no longer looks as expected: remove or update the styled-chars-same-styles plugin');
      const same = [
        'function sameStyles(a, b) {',
        '  if (a.length !== b.length) return false;',
        '  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;',
        '  return true;',
        '}',
      ].join('\n');
      return { contents: `${source.replace(diff, `if (!sameStyles(chars[i - 1].styles, char.styles)) ${diff}`)}\n${same}\n`, loader: 'js' };
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
  minifyWhitespace: true,
  minifySyntax: true,
  outdir,
  logLevel: 'warning',
  alias: { 'react-devtools-core': stub },
  plugins: [yogaWithoutFetch, styledCharsSameStyles],
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages (react) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __kubeLearnRequire } from 'node:module'; const require = __kubeLearnRequire(import.meta.url);" },
});
