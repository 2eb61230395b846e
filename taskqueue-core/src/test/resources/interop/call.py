"""Sends one task the way a Python Celery client does and prints one JSON line about it.

    call.py TASK --queue Q [--via send_task|delay|apply_async] [--args JSON | --args-literal PY]
            [--kwargs JSON]
            [--countdown SECONDS] [--expires SECONDS] [--link JSON] [--link-error JSON]
            [--time-limit SECONDS] [--soft-time-limit SECONDS] [--serializer NAME] [--compression NAME]
            [--no-wait] [--timeout SECONDS]

--link and --link-error take a signature as JSON: {"task": ..., "args": [...], "options": {...}}.

--via send_task (the default) needs no task definition; delay and apply_async use the task
registered in interop_app (a stub for Java tasks), routed to the queue through task_routes.
Unless --no-wait, waits with AsyncResult.get(propagate=False) and prints the outcome as Python
sees it. Exit code 0 once the line is printed, whatever the task's outcome.
"""
import argparse
import ast
import json
import time

from interop_app import app
from interop_report import report


def signature(spec):
    return app.signature(spec["task"], args=spec.get("args", []), kwargs=spec.get("kwargs", {}),
                         options=spec.get("options", {}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("task")
    parser.add_argument("--queue", required=True)
    parser.add_argument("--via", choices=["send_task", "delay", "apply_async"], default="send_task")
    parser.add_argument("--args", default="[]")
    parser.add_argument("--args-literal", help="args as a Python literal, for bytes (msgpack)")
    parser.add_argument("--kwargs", default="{}")
    parser.add_argument("--countdown", type=float)
    parser.add_argument("--expires", type=float)
    parser.add_argument("--time-limit", type=float)
    parser.add_argument("--soft-time-limit", type=float)
    parser.add_argument("--link")
    parser.add_argument("--link-error")
    parser.add_argument("--serializer")
    parser.add_argument("--compression")
    parser.add_argument("--no-wait", action="store_true")
    parser.add_argument("--timeout", type=float, default=20)
    opts = parser.parse_args()
    args = ast.literal_eval(opts.args_literal) if opts.args_literal else json.loads(opts.args)
    kwargs = json.loads(opts.kwargs)
    # Both sides must agree on routes: the test's queue for the task, as celeryconfig's task_routes.
    app.conf.task_routes = {opts.task: {"queue": opts.queue}}
    options = {}
    if opts.countdown is not None:
        options["countdown"] = opts.countdown
    if opts.expires is not None:
        options["expires"] = opts.expires
    if opts.serializer:
        options["serializer"] = opts.serializer
    if opts.compression:
        options["compression"] = opts.compression
    if opts.time_limit is not None:
        options["time_limit"] = opts.time_limit
    if opts.soft_time_limit is not None:
        options["soft_time_limit"] = opts.soft_time_limit
    if opts.link:
        options["link"] = signature(json.loads(opts.link))
    if opts.link_error:
        options["link_error"] = signature(json.loads(opts.link_error))

    sent_at = time.time()
    if opts.via == "send_task":
        result = app.send_task(opts.task, args=args, kwargs=kwargs, queue=opts.queue, **options)
    elif opts.via == "delay":
        result = app.tasks[opts.task].delay(*args, **kwargs)
    else:
        result = app.tasks[opts.task].apply_async(args, kwargs, **options)
    line = {"id": result.id, "sent_at": sent_at}
    if not opts.no_wait:
        line.update(report(result, opts.timeout))
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
