#!/usr/bin/env python3
"""Verifies Shuangbai audit bundles (docs/audit.md, "Export bundles") with Python's standard library only.
Checks every event's hash over the exact envelope bytes, the links and positions, that header, anchor and
trailer lines are canonical JSON, the trailer's counts and head, and each anchor's hash against the event
at its position. Not the anchors' Ed25519 signatures (the standard library has no Ed25519): Bundle.verify
in @shuangbai/eventsourcing checks those. Usage: verify_bundle.py BUNDLE... (prints ok/FAIL per file)."""
import hashlib, json, re, sys

EVENT = re.compile(r'\{"envelope":(.*),"hash":"([0-9a-f]{64})"\}\Z', re.S)
GENESIS = "0" * 64

def unique(pairs):
    if len({k for k, _ in pairs}) != len(pairs): raise ValueError("duplicate key")
    return dict(pairs)

def canonical(line):
    value = json.loads(line, object_pairs_hook=unique)
    if json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) != line:
        raise ValueError("not canonical JSON: " + line[:60])
    return value

def verify(data):
    text = data.decode("utf-8")
    if not text.endswith("\n"): raise ValueError("no final newline (cut short)")
    lines = text[:-1].split("\n")
    header, trailer = canonical(lines[0]), canonical(lines[-1])["end"]
    if header["format"] != "shuangbai-bundle/1" or header["scope"] not in ("log", "subject"): raise ValueError("bad header")
    log, tenant, body = header["scope"] == "log", header["tenant"], lines[1:-1]
    anchors = [canonical(l)["anchor"] for l in body if l.startswith('{"anchor":')]
    if [a["position"] for a in anchors] != sorted(a["position"] for a in anchors): raise ValueError("anchors out of order")
    position, prev, hashes = 0, GENESIS, {0: GENESIS}
    for line in body[len(anchors):]:
        match = EVENT.match(line)
        if not match or hashlib.sha256(match.group(1).encode("utf-8")).hexdigest() != match.group(2):
            raise ValueError("an event does not match its hash: " + line[:60])
        event = json.loads(match.group(1), object_pairs_hook=unique)
        if event["tenant"] != tenant or (not log and header["subject"] not in event["subjects"]):
            raise ValueError("event of another tenant or subject at %s" % event["position"])
        if event["position"] <= position or (log and event["position"] != position + 1):
            raise ValueError("position %s out of order after %s" % (event["position"], position))
        if event["position"] == position + 1 and event["prevHash"] != prev: raise ValueError("broken link at %s" % event["position"])
        position, prev = event["position"], match.group(2)
        hashes[position] = prev
    if trailer != {"anchors": len(anchors), "events": len(body) - len(anchors), "head": {"hash": prev, "position": position}}:
        raise ValueError("the trailer does not match the bundle (lines missing?)")
    for a in anchors:
        if a["tenant"] != tenant or (a["position"] in hashes or log) and hashes.get(a["position"]) != a["hash"]:
            raise ValueError("the log does not pass through the anchor at %s" % a["position"])
    return len(body) - len(anchors)

failed = 0
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f: print("ok %s %d events" % (path, verify(f.read())))
    except Exception as error:
        failed += 1
        print("FAIL %s: %s" % (path, error))
sys.exit(1 if failed else 0)
