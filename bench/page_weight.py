"""Page weight of the respondent page as a browser fetches it (gzip and brotli accepted):
the HTML and every stylesheet and script it links, compressed as served; and the admin
WASM bundle as built, raw and gzip -9. Prints JSON fields."""
import gzip
import json
import os
import pathlib
import re
import sys
import urllib.request

base, token = sys.argv[1], sys.argv[2]


def fetch(path):
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request) as response:
        body = response.read()
        return body, response.headers.get("Content-Encoding") or "identity"


html, encoding = fetch(f"/s/{token}")
text = gzip.decompress(html).decode() if encoding == "gzip" else html.decode(errors="replace")
assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
assets += re.findall(r'<script[^>]+src="([^"]+)"', text)
sizes = {"html": len(html)}
for path in assets:
    sizes[path] = len(fetch(path)[0])
wasm = pathlib.Path(os.environ.get("LEPTOS_SITE_ROOT", "target/site")) / "pkg" / "soundings.wasm"
fields = {
    "respondent_bytes": sum(sizes.values()),
    "respondent_parts": sizes,
    "html_encoding": encoding,
    "scripts": len(re.findall(r"<script", text)),
}
if wasm.exists():
    raw = wasm.read_bytes()
    fields["wasm_bytes"] = len(raw)
    fields["wasm_gzip_bytes"] = len(gzip.compress(raw, 9))
print(json.dumps(fields)[1:-1])
