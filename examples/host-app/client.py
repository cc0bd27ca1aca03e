#!/usr/bin/env python3
"""A client of the Shuangbai HTTP API in another language, with only Python's standard library.

Logs in to the hotline app, registers a household and records a visit (each with an Idempotency-Key,
the first sent twice), and follows the live feed (server-sent events): it disconnects after the first
event, and on reconnecting with Last-Event-ID gets the rest, none skipped, none repeated.

    python3 client.py --base http://127.0.0.1:8081 --worker user:password --auditor user:password \
        --household hh-py-1 --person p-py-1 --station huangpen --worker-id worker-017

Prints a JSON summary on success; exits 1 with the reason otherwise.
"""
import argparse
import json
import sys
import urllib.error
import urllib.request


# percent-encoded, as X-Purpose is (urllib.parse.quote of the text)
PURPOSE = "host-app%20example"


def call(base, method, path, token=None, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(base + path, data=data, method=method)
    if token is not None:
        request.add_header("Authorization", "Bearer " + token)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def login(base, credentials):
    username, password = credentials.split(":", 1)
    status, body = call(base, "POST", "/login", body={"username": username, "password": password})
    expect(status == 200, "login as %s: %s %s" % (username, status, body))
    return body["token"]


def events(base, token, path, headers):
    """Yields (id, event, data) from a server-sent event stream until the caller stops."""
    request = urllib.request.Request(base + path)
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Accept", "text/event-stream")
    for name, value in headers.items():
        request.add_header(name, value)
    # reading the log is a read of personal data: its purpose is recorded in the access log
    request.add_header("X-Purpose", PURPOSE)
    response = urllib.request.urlopen(request, timeout=30)
    try:
        fields = {}
        for raw in response:
            line = raw.decode("utf-8").rstrip("\n").rstrip("\r")
            if line == "":
                if "data" in fields:
                    yield fields.get("id"), fields.get("event"), json.loads(fields["data"])
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value[1:] if value.startswith(" ") else value
    finally:
        response.close()


def follow(base, token, last_event_id, wanted):
    """Reads the feed from last_event_id until `wanted` events came, then disconnects."""
    received = []
    for event_id, _event, data in events(base, token, "/feed", {"Last-Event-ID": str(last_event_id)}):
        received.append((int(event_id), data))
        if len(received) >= wanted:
            break
    return received


def expect(condition, message):
    if not condition:
        print("client.py: " + message, file=sys.stderr)
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    for name in ("--base", "--worker", "--auditor", "--household", "--person", "--station", "--worker-id"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    worker = login(args.base, args.worker)
    auditor = login(args.base, args.auditor)

    status, body = call(args.base, "POST", "/commands/visits/RecordVisit", worker, headers={"Content-Type": "text/plain"})
    expect(status == 415 and body["code"] == "UnsupportedMediaType", "a text body: %s %s" % (status, body))

    head = 0
    while True:
        status, page = call(args.base, "GET", "/events?after=%d&limit=1000" % head, auditor, headers={"X-Purpose": PURPOSE})
        expect(status == 200, "reading the log: %s %s" % (status, page))
        if not page:
            break
        head = page[-1]["position"]

    household = {
        "household": args.household,
        "station": args.station,
        "township": args.station,
        "village": args.station + "-01",
        "address": "某村 8 号",
        "head": {"person": args.person, "name": "黄婆婆", "birthDate": "1938-02-11"},
        "registeredOn": "2025-02-01",
    }
    key = {"Idempotency-Key": "py-" + args.household}
    status, first = call(args.base, "POST", "/commands/registry/RegisterHousehold", worker, household, key)
    expect(status == 200 and not first["duplicate"], "registering: %s %s" % (status, first))
    status, again = call(args.base, "POST", "/commands/registry/RegisterHousehold", worker, household, key)
    expect(status == 200 and again["duplicate"] and again["events"] == first["events"], "the retry: %s %s" % (status, again))

    # First connection: one event, then the client goes away.
    received = follow(args.base, auditor, head, 1)
    visit = {
        "visit": "visit-" + args.household,
        "household": args.household,
        "station": args.station,
        "worker": args.worker_id,
        "visitedOn": "2025-02-03",
        "personsSeen": [args.person],
        "modality": "HomeVisit",
        "findings": "独居，行动不便，需要助餐",
        "needs": ["助餐"],
        "itemsGiven": [],
    }
    status, recorded = call(args.base, "POST", "/commands/visits/RecordVisit", worker, visit, {"Idempotency-Key": "py-visit-" + args.household})
    expect(status == 200, "recording the visit: %s %s" % (status, recorded))
    written = [e["position"] for e in first["events"] + recorded["events"]]
    # Reconnects with the last id seen and reads up to the visit.
    received += follow(args.base, auditor, received[-1][0], written[-1] - received[-1][0])

    positions = [p for p, _ in received]
    expect(positions == list(range(head + 1, written[-1] + 1)), "a gap or a repeat: %s" % positions)
    mine = [d["eventId"] for _, d in received if d["commandId"].startswith("py-")]
    expected = [e["eventId"] for e in first["events"] + recorded["events"]]
    expect(mine == expected, "the feed's events %s, the commands' %s" % (mine, expected))
    print(json.dumps({"positions": positions, "household": args.household, "events": len(expected)}))


if __name__ == "__main__":
    main()
