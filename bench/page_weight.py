"""Page weight of the respondent page as a browser fetches it: the HTML and every
stylesheet and script it links, as served with gzip and with brotli accepted; and the
admin WASM bundle, raw, as served with brotli, and gzip -9 of the built file. Prints JSON
fields."""
import gzip
import json
import os
import pathlib
import re
import sys
import urllib.request

base, token = sys.argv[1], sys.argv[2]


def fetch(path, encoding):
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request) as response:
        return response.read(), response.headers.get("Content-Encoding") or "identity"


html, encoding = fetch(f"/s/{token}", "gzip")
text = gzip.decompress(html).decode() if encoding == "gzip" else html.decode(errors="replace")
paths = [f"/s/{token}"]
paths += re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
paths += re.findall(r'<script[^>]+src="([^"]+)"', text)
fields = {"html_encoding": encoding, "scripts": len(re.findall(r"<script", text))}
for accept, key in (("gzip", "gzip"), ("br", "br"), ("identity", "identity")):
    parts = {("html" if p.startswith("/s/") else p): len(fetch(p, accept)[0]) for p in paths}
    fields[f"respondent_{key}_bytes"] = sum(parts.values())
    fields[f"respondent_{key}_parts"] = parts
wasm = pathlib.Path(os.environ.get("LEPTOS_SITE_ROOT", "target/site")) / "pkg" / "soundings.wasm"
if wasm.exists():
    raw = wasm.read_bytes()
    fields["wasm_bytes"] = len(raw)
    fields["wasm_gzip_bytes"] = len(gzip.compress(raw, 9))
    served, how = fetch("/pkg/soundings.wasm", "br")
    fields["wasm_served_bytes"], fields["wasm_served_encoding"] = len(served), how
print(json.dumps(fields)[1:-1])
