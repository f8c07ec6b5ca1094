"""Reads an `strace -f -tt -T` of the server's socket calls during an outbox drain and
prints, for each SMTP step, how long the server waited between writing a command and
reading the mail server's reply: the median and 90th percentile in milliseconds.
Usage: python3 bench/smtp_waits.py STRACE_FILE"""
import re
import statistics
import sys

CALL = re.compile(r'^\d+\s+(\d+):(\d+):(\d+\.\d+) (\w+)\((\d+), "((?:[^"\\]|\\.)*)"')
STEPS = {"MAIL FROM": "MAIL FROM -> 250", "RCPT TO": "RCPT TO -> 250", "DATA": "DATA -> 354",
         "\\r\\n.\\r\\n": "end of message -> 250", "RSET": "RSET -> 250"}


def seconds(h, m, s):
    return int(h) * 3600 + int(m) * 60 + float(s)


def main(path):
    pending = {}  # fd -> (step, time written)
    waits = {name: [] for name in STEPS.values()}
    for line in open(path, encoding="utf-8", errors="replace"):
        match = CALL.match(line)
        if not match or line.rstrip().endswith("EAGAIN (Resource temporarily unavailable)") or "<unfinished" in line:
            continue
        h, m, s, call, fd, data = match.groups()
        at = seconds(h, m, s)
        if call in ("write", "sendto", "writev"):
            for prefix, step in STEPS.items():
                if data.startswith(prefix):
                    pending[fd] = (step, at)
        elif call in ("read", "recvfrom") and fd in pending and re.match(r"^\d{3}", data):
            step, written = pending.pop(fd)
            waits[step].append((at - written) * 1000)
    for step, values in waits.items():
        if values:
            values.sort()
            p90 = values[int(len(values) * 0.9) - 1] if len(values) >= 10 else values[-1]
            print(f"{step:>24}: n={len(values):5d}  median {statistics.median(values):7.2f} ms  p90 {p90:7.2f} ms")


if __name__ == "__main__":
    main(sys.argv[1])
