"""Feeds Celery's celery.events.state.State from an event receiver, as Flower does, and prints
what it knows as one JSON line once a condition holds, then exits.

    cluster_state.py --node NODE [--tasks N] [--freq F] [--offline] [--timeout SECONDS]

Prints READY once its event queue consumes (events sent before that are lost, as for Flower;
the receiver also broadcasts the heartbeat command on start, as Flower does). Then waits until
NODE is alive and, with --tasks, until N of its tasks are in a ready state (SUCCESS, FAILURE,
REVOKED, REJECTED); with --offline, until NODE, once seen alive, is judged offline, and reports
how long after its last heartbeat. Exits 1 with what it saw if the timeout passes first.
"""
import argparse
import json
import sys
import time

from celery import states
from interop_app import app


def worker_view(worker):
    return {
        "hostname": worker.hostname,
        "alive": worker.alive,
        "freq": worker.freq,
        "active": worker.active,
        "processed": worker.processed,
        "loadavg": worker.loadavg,
        "sw_ident": worker.sw_ident,
        "sw_ver": worker.sw_ver,
        "sw_sys": worker.sw_sys,
        "pid": worker.pid,
        "heartbeats": len(worker.heartbeats),
    }


def task_view(task):
    return {
        "uuid": task.uuid,
        "name": task.name,
        "state": task.state,
        "args": task.args,
        "kwargs": task.kwargs,
        "result": task.result,
        "exception": task.exception,
        "runtime": task.runtime,
        "worker": task.worker.hostname if task.worker else None,
        "sent": task.sent,
        "received": task.received,
        "started": task.started,
        "routing_key": task.routing_key,
        "retries": task.retries,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--node", required=True)
    parser.add_argument("--tasks", type=int, default=0)
    parser.add_argument("--offline", action="store_true")
    # The heartbeat the receiver's broadcast asks for says freq 5: with --freq, wait for a
    # periodic heartbeat after it, which says the worker's own interval.
    parser.add_argument("--freq", type=float, default=None)
    parser.add_argument("--timeout", type=float, default=60)
    opts = parser.parse_args()
    state = app.events.State()
    deadline = time.time() + opts.timeout
    seen = {"alive": False, "result": None}

    def view(extra=None):
        line = {
            "workers": {name: worker_view(w) for name, w in state.workers.items()},
            "tasks": [task_view(t) for _, t in state.tasks.items()],
        }
        line.update(extra or {})
        return line

    def check():
        worker = state.workers.get(opts.node)
        if worker is not None and worker.alive:
            seen["alive"] = True
        if opts.offline:
            if seen["alive"] and worker is not None and not worker.alive:
                last = worker.heartbeats[-1] if worker.heartbeats else None
                seen["result"] = view({
                    "offline_after": None if last is None else time.time() - last,
                    "expires_after": None if last is None else worker.heartbeat_expires - last,
                })
        elif seen["alive"]:
            mine = [t for _, t in state.tasks.items()
                    if t.worker is not None and t.worker.hostname == opts.node and t.state in states.READY_STATES]
            if len(mine) >= opts.tasks and (opts.freq is None or worker.freq == opts.freq):
                seen["result"] = view()
        if seen["result"] is not None or time.time() > deadline:
            recv.should_stop = True

    with app.connection() as connection:
        recv = app.events.Receiver(connection, handlers={"*": state.event})
        original = recv.on_consume_ready

        def on_consume_ready(*args, **kwargs):
            original(*args, **kwargs)
            print("READY", flush=True)

        recv.on_consume_ready = on_consume_ready
        recv.on_iteration = check
        for _ in recv.consume(limit=None, timeout=None, safety_interval=0.2, wakeup=True):
            check()
            if recv.should_stop:
                break
    if seen["result"] is None:
        print(json.dumps(view({"timeout": True})), flush=True)
        sys.exit(1)
    print(json.dumps(seen["result"]), flush=True)


if __name__ == "__main__":
    main()
