"""Turns bench/run's JSON lines into the results table: medians of three runs, ratios to
the hello ceiling, and each figure beside its target."""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]
backend = sys.argv[2]


def runs(name):
    return [r for r in rows if r["scenario"] == name]


def median(name, field):
    values = [r[field] for r in runs(name)]
    return statistics.median(values) if values else float("nan")


def one(name, field):
    found = runs(name)
    return found[0][field] if found else None


ceiling = median("hello", "rps")
lines = [
    f"Backend: **{backend}**. Medians of {len(runs('hello'))} runs; wrk 1 thread on core 1, server on core 0.",
    "",
    "| Scenario | Figure | Target | Ratio to hello |",
    "| --- | --- | --- | --- |",
    f"| Ceiling: axum hello, 50 connections | {ceiling:,.0f} req/s, p99 {median('hello', 'p99_ms'):.2f} ms | | 1.00 |",
]
page_rps = median("respondent_page", "rps")
lines.append(
    f"| 1. Respondent page `GET /s/{{token}}`, 50 connections | {page_rps:,.0f} req/s, p99 {median('respondent_page', 'p99_ms'):.2f} ms, "
    f"{sum(r['errors'] for r in runs('respondent_page'))} errors | ≥ 0.25 × hello, p99 < 10 ms | {page_rps / ceiling:.2f} |"
)
submit_rps = median("submit", "rps")
target = "≥ 3,000/s" if backend == "sqlite" else "≥ 2,000/s"
lines.append(
    f"| 2. Submit a response, 50 connections, distinct tokens | {submit_rps:,.0f} responses/s, p99 {median('submit', 'p99_ms'):.2f} ms, "
    f"{sum(r['errors'] for r in runs('submit'))} errors | {target}, no errors | {submit_rps / ceiling:.2f} |"
)
integrity = runs("integrity")[0]
lines.append(
    f"| 2. … afterwards in the database | {integrity['responses']:,} responses for {integrity['distinct_invitations']:,} distinct invitations, "
    f"{integrity['completed_invitations']:,} completed on the ledger | exactly one per token | |"
)
lines.append(
    f"| 3. Summary, 100,000 invitations / 50,000 responses, 4 connections | p95 {median('summary_idle', 'p95_ms'):.2f} ms, "
    f"{median('summary_idle', 'rps'):,.0f} req/s | p95 < 50 ms | |"
)
idle_p99 = median("summary_idle", "p99_ms")
for name, label in (("summary_under_load", "8. Summary p99 while answers arrive, 16 paced connections"),
                    ("summary_under_reads", "8. … control: the same while pages are read at that pace (no writes)")):
    if runs(name):
        busy_p99, pace = median(name, "p99_ms"), median(name + "_background", "rps")
        target = "≤ 1.5 ×" if name == "summary_under_load" else "compare with the row above"
        lines.append(
            f"| {label}, {pace:,.0f} req/s ({pace / submit_rps:.2f} × scenario 2) "
            f"| {busy_p99:.2f} ms vs {idle_p99:.2f} ms idle = {busy_p99 / idle_p99:.2f} × | {target} | |"
        )
weight = runs("page_weight")[0]
lines.append(
    f"| 6. Respondent page weight (HTML, CSS, scripts as served) | {weight['respondent_br_bytes']:,} B with brotli, "
    f"{weight['respondent_gzip_bytes']:,} B with gzip ({weight['respondent_identity_bytes']:,} B uncompressed), "
    f"{weight['scripts']} script tags | < 20 KB, no JavaScript needed | |"
)
if "wasm_gzip_bytes" in weight:
    lines.append(
        f"| 6. Admin WASM bundle | {weight['wasm_served_bytes']:,} B as served ({weight['wasm_served_encoding']}), "
        f"{weight['wasm_gzip_bytes']:,} B gzip -9 ({weight['wasm_bytes']:,} B raw) | < 400 KB compressed | |"
    )
lines.append(
    f"| 7. Resident memory | idle {one('idle', 'rss_kb') / 1024:.1f} MB, peak during scenario 2 {one('submit_peak', 'rss_kb') / 1024:.1f} MB | < 50 MB idle, < 150 MB loaded | |"
)
lines.append(f"| 7. Start-up to a healthy `/healthz` on the seeded database | {one('startup', 'seconds'):.3f} s | < 1 s | |")
queue = one("queue_send", "request_seconds")
if queue is not None:
    q = runs("queue_send")[0]
    lines.append(
        f"| 4. Queue a send of {q['invited']:,} invitations (ledger + outbox rows) | {queue:.2f} s for the request; "
        f"{q['queued']:,} queued, {q['delivered_at_reply']:,} handed over when it returned | < 10 s, returns before mail is sent | |"
    )
for name, label in (("drain_pooled", "pooled connections"), ("drain_unpooled", "a connection per message"),
                    ("drain_wide", "pooled, 32 connections (MAIL_CONCURRENCY=32)")):
    found = runs(name)
    if found:
        d = found[0]
        lines.append(
            f"| 5. Outbox drain, 10,000 messages to an SMTP sink, {label} | {d['per_second']:,.0f} messages/s "
            f"({d['delivered']:,} in {d['drain_seconds']:.1f} s), peak RSS {d['peak_rss_kb'] / 1024:.1f} MB | ≥ 500/s pooled, < 150 MB | |"
        )
lines.append(f"| 7. Release binary | {one('binary', 'bytes') / 1e6:.1f} MB | reported | |")
lines.append(f"| Seeding 250,000 invitations and 50,000 responses | {one('seed', 'seconds'):.1f} s | | |")
print("\n".join(lines))
