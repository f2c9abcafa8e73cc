// Builds the sites the throttled load benchmark (throttled.mjs) serves, as a static host serves a release:
// `OUT/br/` with every text file precompressed as brotli (quality 11) and gzip (level 9) beside it, and
// `OUT/gz/` with gzip alone, so the static host (xtask/static-host, tower-http's ServeDir) answers with the
// encoding named in the folder. Each holds the built page (dist/) at its root and, under /consoles/, the API
// consoles it is compared with, from e2e/node_modules (pinned in e2e/package.json) and serving the same small
// spec (consoles/spec.json): RapiDoc and Swagger UI, set up as their own READMEs show. With FLOOR, the floor
// fixture's build (xtask/floor: the simulator and one text area, built as the page is) goes under /floor/.
//
// Usage: node e2e/bench/site.mjs DIST OUT [FLOOR]. Prints what each page transfers with each encoding, and a
// Markdown table of the page's and the floor's files: raw, gzip -9 and brotli (quality 11) bytes.

import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'node_modules');
const [dist, out, floor] = process.argv.slice(2);
if (!dist || !out) {
  console.error('usage: node site.mjs DIST OUT [FLOOR]');
  process.exit(2);
}

/** The files each console needs: [from (under node_modules), to (under consoles/<name>/)]. */
const consoles = {
  rapidoc: [
    ['rapidoc/dist/rapidoc-min.js', 'rapidoc-min.js'],
    [join(here, 'consoles', 'rapidoc.html'), 'index.html'],
  ],
  swagger: [
    ['swagger-ui-dist/swagger-ui.css', 'swagger-ui.css'],
    ['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-bundle.js'],
    [join(here, 'consoles', 'swagger.html'), 'index.html'],
  ],
};

const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.svg', '.md', '.txt']);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const sizes = {};
for (const encoding of ['br', 'gz']) {
  const root = join(out, encoding);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(dist, root, { recursive: true });
  if (floor) cpSync(floor, join(root, 'floor'), { recursive: true });
  for (const [name, list] of Object.entries(consoles)) {
    const dir = join(root, 'consoles', name);
    mkdirSync(dir, { recursive: true });
    for (const [from, to] of list) cpSync(from.startsWith('/') ? from : join(modules, from), join(dir, to));
  }
  cpSync(join(here, 'consoles', 'spec.json'), join(root, 'consoles', 'spec.json'));
  for (const path of files(root)) {
    if (!compressible.has(extname(path))) continue;
    const data = readFileSync(path);
    const gz = gzipSync(data, { level: 9 });
    writeFileSync(`${path}.gz`, gz);
    let sent = gz.length;
    if (encoding === 'br') {
      const br = brotliCompressSync(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          [constants.BROTLI_PARAM_MODE]: extname(path) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
        },
      });
      writeFileSync(`${path}.br`, br);
      sent = br.length;
    }
    sizes[`${encoding} ${relative(root, path)}`] = { raw: data.length, sent };
  }
}

/** Bytes a load of each page fetches (its HTML, scripts, styles, wasm and spec), by encoding. */
const inPage = (f) =>
  !f.startsWith('consoles/') && !f.startsWith('floor/') && !f.startsWith('lessons/') && !f.endsWith('embed.js') && !f.endsWith('.svg');
const inFloor = (f) => f.startsWith('floor/');
const pages = {
  'fleetplay page': inPage,
  ...(floor ? { floor: inFloor } : {}),
  RapiDoc: (f) => f.startsWith('consoles/rapidoc/') || f === 'consoles/spec.json',
  'Swagger UI': (f) => f.startsWith('consoles/swagger/') || f === 'consoles/spec.json',
};
for (const [page, wanted] of Object.entries(pages)) {
  const line = ['br', 'gz'].map((encoding) => {
    const total = Object.entries(sizes)
      .filter(([key]) => key.startsWith(`${encoding} `) && wanted(key.slice(encoding.length + 1)))
      .reduce((sum, [, s]) => sum + s.sent, 0);
    return `${encoding === 'br' ? 'brotli' : 'gzip'} ${(total / 1000).toFixed(1)} KB`;
  });
  console.log(`site: ${page}: ${line.join(', ')} (HTML, scripts, styles, wasm, spec)`);
}

// Each file of the page and the floor: raw, gzip and brotli bytes (the same compressed files the sites serve).
console.log('');
console.log('| file | raw bytes | gzip -9 bytes | brotli bytes |');
console.log('|---|---:|---:|---:|');
for (const [label, wanted] of [['page', inPage], ['floor', inFloor]]) {
  const names = Object.keys(sizes).filter((k) => k.startsWith('br ') && wanted(k.slice(3))).map((k) => k.slice(3)).sort();
  if (names.length === 0) continue;
  const sum = { raw: 0, gz: 0, br: 0 };
  for (const name of names) {
    const row = { raw: sizes[`br ${name}`].raw, gz: sizes[`gz ${name}`].sent, br: sizes[`br ${name}`].sent };
    for (const k of Object.keys(sum)) sum[k] += row[k];
    console.log(`| ${label}: \`${name}\` | ${row.raw} | ${row.gz} | ${row.br} |`);
  }
  console.log(`| **${label}: total** | **${sum.raw}** | **${sum.gz}** | **${sum.br}** |`);
}
