// Writes a brotli (quality 11) and a gzip (level 9) copy beside every file of the built
// site, which the server sends to browsers that accept them: compressed once at build
// time, as small as these formats get, instead of on every request.
// Usage: node tools/site-build/precompress.mjs SITE_FOLDER
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (!/\.(br|gz)$/.test(entry.name)) yield path;
  }
}

const site = process.argv[2];
if (!site) {
  console.error("usage: precompress.mjs SITE_FOLDER");
  process.exit(2);
}
for (const path of files(site)) {
  const content = readFileSync(path);
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
  );
  writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
}
