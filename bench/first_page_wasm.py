"""The WASM and JS a browser downloads to run each team page it opens first, as the
server sends them with brotli accepted: the main bundle (soundings.js, soundings.wasm), the
split loader, and the page's own pieces listed in the split manifest that
a split build writes, when there is one. Usage: first_page_wasm.py BASE_URL; prints one line a
page, largest first, and the total of the main bundle alone."""
import json
import sys
import urllib.error
import urllib.request

base = sys.argv[1].rstrip("/")


def served(path):
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(request) as response:
        return response.read(), response.headers.get("Content-Encoding") or "identity"


sizes = {}


def size(name):
    if name not in sizes:
        body, encoding = served(f"/pkg/{name}")
        if encoding != "br":
            sys.exit(f"/pkg/{name} was sent as {encoding}, not brotli")
        sizes[name] = len(body)
    return sizes[name]


try:
    manifest = json.loads(served("/pkg/__wasm_split_manifest.json")[0])
except urllib.error.HTTPError:
    manifest = {}  # not built with --split: every page needs the one bundle
main = ["soundings.js", "soundings.wasm"]
if manifest:
    main.append("__wasm_split.______________________.js")
main_bytes = sum(size(name) for name in main)
rows = []
for key, modules in manifest.items():
    page = key.strip("_").split("_route_view")[0]
    own = sum(size(f"{module}.wasm") for module in modules)
    rows.append((main_bytes + own, page, len(modules)))
print(f"main bundle and loader: {main_bytes:,} B brotli")
for total, page, count in sorted(rows, reverse=True):
    print(f"{page:18} {total:>9,} B  ({count} pieces besides the main bundle)")
