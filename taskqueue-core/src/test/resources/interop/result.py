"""Reads a task's result by id, as AsyncResult(id) in any Python process does, and prints one
JSON line: its state and outcome, and the extended meta (name, args, kwargs, worker, queue,
retries).

    result.py TASK_ID [--wait] [--timeout SECONDS]

Without --wait it reads the state once (PENDING when nothing is stored); with --wait it waits
with AsyncResult.get(propagate=False).
"""
import argparse
import json

from interop_app import app
from interop_report import report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("task_id")
    parser.add_argument("--wait", action="store_true")
    parser.add_argument("--timeout", type=float, default=20)
    opts = parser.parse_args()
    result = app.AsyncResult(opts.task_id)
    line = {"id": result.id}
    if opts.wait:
        line.update(report(result, opts.timeout))
    else:
        line["state"] = result.state
    line.update({
        "name": result.name,
        "args": result.args,
        "kwargs": result.kwargs,
        "worker": result.worker,
        "queue": result.queue,
        "retries": result.retries,
        "date_done": None if result.date_done is None else str(result.date_done),
    })
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
