"""Queues a send through the API and follows it: how long the request took, how many of
its messages had been handed over when it returned, and how long until every one was.
Prints JSON fields. Usage: python3 bench/drain.py BASE SURVEY TOKEN BODY_JSON WAIT_FOR
(WAIT_FOR 0: report the request only, do not wait for the outbox)."""
import json
import sys
import time
import urllib.request

base, survey, token, body, wait_for = sys.argv[1:6]
wait_for = int(wait_for)
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def call(method, path, data=None):
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def delivered():
    return call("GET", f"/api/v1/surveys/{survey}/summary")["delivered"]


start = time.monotonic()
sent = call("POST", f"/api/v1/surveys/{survey}/sends", body.encode())
returned = time.monotonic()
fields = {
    "request_seconds": round(returned - start, 3),
    "invited": sent["invited"],
    "queued": sent["queued"],
    "delivered_at_reply": delivered(),
}
if wait_for:
    while (count := delivered()) < wait_for and time.monotonic() - returned < 600:
        time.sleep(0.2)
    seconds = time.monotonic() - returned
    fields.update({"delivered": count, "drain_seconds": round(seconds, 3), "per_second": round(count / seconds, 1)})
print(json.dumps(fields)[1:-1])
