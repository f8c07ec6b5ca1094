#!/usr/bin/env python3
"""Verifies a message's DKIM signature with dkimpy, an implementation independent of ours.

Usage: python3 server/tests/dkim_verify.py MESSAGE_FILE RECORD_NAME RECORD_VALUE

The public key comes from the command line instead of DNS: RECORD_NAME is the TXT record's
name (`<selector>._domainkey.<domain>`), RECORD_VALUE its value. Prints one JSON object:
{"verified": bool, "signed_headers": [...lower-case names from h=...], "domain": ...}.
Exit codes: 0 when it ran (verified or not), 3 when dkimpy is missing.
"""
import json
import sys

try:
    import dkim
except ImportError:
    sys.stderr.write("dkim_verify.py: the Python package dkimpy is missing; run bin/setup --test\n")
    sys.exit(3)


def main() -> None:
    path, name, value = sys.argv[1:4]
    message = open(path, "rb").read()

    def dns(qname, timeout=5):
        wanted = qname.decode() if isinstance(qname, bytes) else qname
        if wanted.rstrip(".").lower() == name.lower():
            return value.encode()
        return None

    verifier = dkim.DKIM(message)
    try:
        verified = bool(verifier.verify(dnsfunc=dns))
    except dkim.DKIMException as error:
        sys.stderr.write(f"dkim_verify.py: {error}\n")
        verified = False
    signature = verifier.signature_fields or {}
    signed = [h.decode().strip().lower() for h in signature.get(b"h", b"").split(b":") if h]
    print(json.dumps({
        "verified": verified,
        "signed_headers": signed,
        "domain": signature.get(b"d", b"").decode(),
        "algorithm": signature.get(b"a", b"").decode(),
    }))


if __name__ == "__main__":
    main()
