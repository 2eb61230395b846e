"""Revokes tasks as a Python application does, with AsyncResult(id).revoke(): Celery broadcasts
the revoke command on the control exchange (INTEROP_CONTROL_EXCHANGE) and does not wait for
replies. Prints one JSON line with the ids.

    revoke.py TASK_ID... [--terminate]
"""
import argparse
import json

from interop_app import app


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("task_ids", nargs="+")
    parser.add_argument("--terminate", action="store_true")
    opts = parser.parse_args()
    for task_id in opts.task_ids:
        app.AsyncResult(task_id).revoke(terminate=opts.terminate)
    print(json.dumps({"revoked": opts.task_ids}))


if __name__ == "__main__":
    main()
