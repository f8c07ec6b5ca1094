// Whether a release binary carries the site as it is now: the server crate embeds the site
// folder's files, byte for byte, when it compiles, and bin/build compiles it beside the
// site. Exits 0 when a run of bytes from the middle of the site's largest file is in the
// binary, 1 when it is not.
// Usage: node tools/site-build/carries.mjs BINARY SITE_FOLDER
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [binary, site] = process.argv.slice(2);
const bundle = join(site, "pkg", "soundings.wasm.br");
const content = readFileSync(bundle);
const middle = Math.floor(content.length / 2);
const sample = content.subarray(middle, middle + 256);
if (sample.length < 64 || statSync(binary).size < content.length) process.exit(1);
process.exit(readFileSync(binary).includes(sample) ? 0 : 1);
