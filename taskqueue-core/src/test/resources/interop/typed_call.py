"""Sends interop.java.typed with Python's datetime, date, time, Decimal, UUID and bytes, as a
Celery client does, and prints one JSON line: what Python sent (as text) and the Java task's
result.

    typed_call.py --queue Q [--typed] [--timeout SECONDS]

Without --typed the arguments go through this Celery's kombu JSON encoder (kombu 5.2: ISO text
with "Z", a date as a midnight datetime, Decimal and UUID as str; it cannot send bytes, so the
bytes go as base64 text, which is what a byte[] parameter reads from a string). With --typed they are written as kombu 5.3+ writes them
({"__type__": ..., "__value__": ...}, kombu/utils/json.py register_type), which this kombu
cannot do itself.
"""
import argparse
import base64
import datetime
import decimal
import json
import uuid

from interop_app import app


def typed(marker, value):
    return {"__type__": marker, "__value__": value}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", required=True)
    parser.add_argument("--typed", action="store_true")
    parser.add_argument("--timeout", type=float, default=20)
    opts = parser.parse_args()
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc)
    day = datetime.date(2026, 1, 2)
    time_of_day = datetime.time(10, 15, 30, 250000)
    amount = decimal.Decimal("12.50")
    ident = uuid.UUID("0d4a2a5b-97c8-4f5a-a2b3-c1b9d4e6f708")
    data = "caf\u00e9".encode("utf-8")
    if opts.typed:
        args = [typed("datetime", when.isoformat()), typed("date", day.isoformat()),
                typed("time", time_of_day.isoformat()), typed("decimal", str(amount)),
                typed("uuid", {"hex": ident.hex, "version": ident.version}),
                typed("bytes", data.decode("utf-8"))]
    else:
        args = [when, day, time_of_day, amount, ident, base64.b64encode(data).decode("ascii")]
    app.conf.task_routes = {"interop.java.typed": {"queue": opts.queue}}
    result = app.send_task("interop.java.typed", args=args)
    value = result.get(timeout=opts.timeout, propagate=False)
    print(json.dumps({"state": result.state, "result": value if result.state == "SUCCESS" else repr(value)}),
          flush=True)


if __name__ == "__main__":
    main()
