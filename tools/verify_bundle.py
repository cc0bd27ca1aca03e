#!/usr/bin/env python3
"""Verifies Shuangbai audit bundles (docs/audit.md, "Export bundles") with Python's standard library only:
every event's sha256 over its exact envelope bytes (or, for a row rewritten by an erasure, its content's hash
and chained hash as a later intact SubjectErased event of the bundle attests them), links and positions,
canonical header, anchor and trailer lines, the trailer's counts and head, each anchor's hash against the
event at its position and, given the public key (PEM, as `openssl pkey -pubout` writes it), each anchor's
Ed25519 signature (RFC 8032, below).
Usage: verify_bundle.py [--public-key FILE] BUNDLE...   prints "ok" or "FAIL: why" per bundle."""
import base64, functools, hashlib, json, re, sys

P, L = 2**255 - 19, 2**252 + 27742317777372353535851937790883648493
D, SQRT_M1 = -121665 * pow(121666, P - 2, P) % P, pow(2, (P - 1) // 4, P)
def add(a, b):
    A, B = (a[1] - a[0]) * (b[1] - b[0]) % P, (a[1] + a[0]) * (b[1] + b[0]) % P
    C, E = 2 * a[3] * b[3] * D % P, 2 * a[2] * b[2] % P
    return ((B - A) * (E - C), (E + C) * (B + A), (E - C) * (E + C), (B - A) * (B + A))
def mul(s, q, r=(0, 1, 1, 0)):
    for bit in bin(s)[2:]: r = add(add(r, r), q) if bit == "1" else add(r, r)
    return r
def point(s):
    y, sign = int.from_bytes(s, "little") & (2**255 - 1), s[31] >> 7
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    x = x if (x * x - x2) % P == 0 else x * SQRT_M1 % P
    if y >= P or (x * x - x2) % P or (x == 0 and sign): raise ValueError("not a curve point")
    x = P - x if x & 1 != sign else x
    return (x, y, 1, x * y % P)
G = point((4 * pow(5, P - 2, P) % P).to_bytes(32, "little"))
@functools.lru_cache(maxsize=None)
def ed25519(public, message, sig):
    a, r, s = point(public), point(sig[:32]), int.from_bytes(sig[32:], "little")
    h = int.from_bytes(hashlib.sha512(sig[:32] + public + message).digest(), "little") % L
    lhs, rhs = mul(s, G), add(r, mul(h, a))
    return s < L and (lhs[0] * rhs[2] - rhs[0] * lhs[2]) % P == 0 and (lhs[1] * rhs[2] - rhs[1] * lhs[2]) % P == 0

EVENT = re.compile(r'\{"envelope":(.*),"hash":"([0-9a-f]{64})"\}\Z', re.S)
def unique(pairs):
    if len({k for k, _ in pairs}) != len(pairs): raise ValueError("duplicate key")
    return dict(pairs)
def dumps(value): return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
def canonical(line):
    value = json.loads(line, object_pairs_hook=unique)
    if dumps(value) != line: raise ValueError("not canonical JSON: " + line[:60])
    return value

def verify(text, spki):
    if not text.endswith("\n"): raise ValueError("no final newline (cut short)")
    lines = text[:-1].split("\n")
    header, trailer = canonical(lines[0]), canonical(lines[-1])["end"]
    if header["format"] != "shuangbai-bundle/1" or header["scope"] not in ("log", "subject"): raise ValueError("bad header")
    log, tenant, body = header["scope"] == "log", header["tenant"], lines[1:-1]
    anchors = [canonical(line)["anchor"] for line in body if line.startswith('{"anchor":')]
    if [a["position"] for a in anchors] != sorted(a["position"] for a in anchors): raise ValueError("anchors out of order")
    position, prev, hashes, held = 0, "0" * 64, {0: "0" * 64}, {}
    for line in body[len(anchors):]:
        match = EVENT.match(line)
        if not match: raise ValueError("not an event line: " + line[:60])
        event = json.loads(match.group(1), object_pairs_hook=unique)
        content = hashlib.sha256(match.group(1).encode("utf-8")).hexdigest()
        released = 0  # a row that does not match its hash waits for a later erasure event attesting its content
        if content != match.group(2): held[event["position"]] = (match.group(2), content)
        elif event["type"] == "SubjectErased":
            for r in event["data"].get("rewritten") or []:
                if held.get(r["position"]) == (r["hash"], r["content"]):
                    del held[r["position"]]
                    released += 1
        if event["tenant"] != tenant or (not log and header["subject"] not in event["subjects"] and not released):
            raise ValueError("event of another tenant or subject at %s" % event["position"])
        if event["position"] <= position or (log and event["position"] != position + 1):
            raise ValueError("position %s out of order after %s" % (event["position"], position))
        if event["position"] == position + 1 and event["prevHash"] != prev: raise ValueError("broken link at %s" % event["position"])
        position, prev = event["position"], match.group(2)
        hashes[position] = prev
    if held: raise ValueError("the event at %s does not match its hash, and no later erasure event attests it" % min(held))
    if trailer != {"anchors": len(anchors), "events": len(body) - len(anchors), "head": {"hash": prev, "position": position}}:
        raise ValueError("the trailer does not match the bundle (lines missing?)")
    for a in anchors:
        if a["tenant"] != tenant or (a["position"] in hashes or log) and hashes.get(a["position"]) != a["hash"]:
            raise ValueError("the log does not pass through the anchor at %s" % a["position"])
        signed = dumps({k: a[k] for k in ("at", "format", "hash", "position", "tenant")}).encode("utf-8")
        sig = base64.b64decode(a["signature"], validate=True)
        if base64.b64encode(sig).decode() != a["signature"]: raise ValueError("the signature is not canonical base64")
        if spki and (a["key"] != hashlib.sha256(spki).hexdigest() or not ed25519(spki[-32:], signed, sig)):
            raise ValueError("the anchor at %s is not signed by the public key" % a["position"])
    return "%d events, %d anchors%s" % (len(body) - len(anchors), len(anchors), "" if spki else " (signatures NOT checked: no --public-key)")

args, spki, failed = sys.argv[1:], None, 0
if args[:1] == ["--public-key"]:
    spki, args = base64.b64decode("".join(open(args[1]).read().strip().splitlines()[1:-1])), args[2:]
for path in args:
    try:
        with open(path, "rb") as f: print("ok %s: %s" % (path, verify(f.read().decode("utf-8"), spki)))
    except Exception as error:
        failed += 1
        print("FAIL %s: %s" % (path, error))
sys.exit(1 if failed else 0)
