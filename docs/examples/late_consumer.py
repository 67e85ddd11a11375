#!/usr/bin/env python3
"""A late consumer of one Switchboard service, from the topology file alone (pyzmq, PyYAML).

Subscribes, waits until the subscription is live, takes a snapshot, then applies events in
seq order; on a gap or a restart (new epoch) it takes a new snapshot. Prints the state it
built as one JSON object: {"service", "epoch", "state": {key: value}}.

  python3 late_consumer.py Topology/local.yaml router --prefix conv. --quiet 2 --seconds 60
"""
import argparse, json, time
import yaml, zmq

def family(topic):
    return topic.split(".", 1)[0]

def snapshot(ctx, endpoint, prefix):
    """Asks the state endpoint for everything under prefix: (items, end)."""
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.connect(endpoint)
    request = {"v": 1, "type": "snapshot"}
    if prefix:
        request["prefix"] = prefix
    dealer.send(json.dumps(request).encode())
    items = {}
    try:
        while True:
            if not dealer.poll(5000):
                raise TimeoutError("no snapshot reply from " + endpoint)
            kind, body = dealer.recv_multipart()
            body = json.loads(body)
            if kind == b"item":
                items[body["key"]] = body["value"]
            elif kind == b"end":
                if body["count"] != len(items):
                    raise RuntimeError("snapshot incomplete")
                return items, body
            else:
                raise RuntimeError("snapshot refused: " + body["message"])
    finally:
        dealer.close()

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("topology")
    parser.add_argument("service")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--seconds", type=float, default=30, help="stop after this long")
    parser.add_argument("--quiet", type=float, default=0, help="stop after this long without events")
    args = parser.parse_args()
    service = yaml.safe_load(open(args.topology))["services"][args.service]

    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.connect(service["publish"])
    # Whole families (gap-free sequences), plus sys. for heartbeats; finer prefixes filter below.
    families = {family(args.prefix)} if args.prefix else {""}
    for f in families | ({"sys"} if args.prefix else set()):
        sub.setsockopt(zmq.SUBSCRIBE, (f + "." if f else "").encode())

    state, epoch, last, buffered = None, None, {}, []
    started = last_event = time.monotonic()
    while time.monotonic() - started < args.seconds:
        if args.quiet and state is not None and time.monotonic() - last_event > args.quiet:
            break
        if not sub.poll(100):
            continue
        topic, envelope = sub.recv_multipart()
        topic, event = topic.decode(), json.loads(envelope)
        if state is None or event["epoch"] != epoch:  # not live yet, or the publisher restarted
            buffered.append((topic, event))
            items, end = snapshot(ctx, service["state"], args.prefix)
            state, epoch, last = items, end["epoch"], dict(end["seqs"])
            pending, buffered = buffered, []
        else:
            pending = [(topic, event)]
        for topic, event in pending:
            if event["type"] == "sys.heartbeat" or event["epoch"] != epoch:
                continue
            f, seq = family(topic), event["seq"]
            if seq <= last.get(f, 0):
                continue  # already in the snapshot
            if seq != last.get(f, 0) + 1:
                state = None  # a gap: start over with a new snapshot on the next message
                break
            last[f] = seq
            last_event = time.monotonic()
            data = event["data"]
            if topic.startswith(args.prefix) and "key" in data:  # a state-carrying event
                if data.get("item") is None:
                    state.pop(data["key"], None)
                else:
                    state[data["key"]] = data["item"]
    print(json.dumps({"service": args.service, "epoch": epoch, "state": state}, sort_keys=True))

if __name__ == "__main__":
    main()
