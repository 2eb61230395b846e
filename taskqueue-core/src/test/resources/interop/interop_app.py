"""The Python side of the interoperability tests: a Celery app configured as the seed's
celeryconfig is (JSON unless INTEROP_SERIALIZER, INTEROP_RESULT_SERIALIZER and INTEROP_ACCEPT
say otherwise, UTC, Redis results), with Python tasks for the Java client to call and
stubs that carry the names of the Java tasks so Python can call them with delay/apply_async.

Run by the tests with Debian's interpreter and package (python3-celery 5.2.6):
    /usr/bin/python3 -m celery -A interop_app worker -Q <queue> ...
Broker and result backend come from INTEROP_BROKER_URL and INTEROP_RESULT_BACKEND.
"""
import os
import time

import redis
from celery import Celery

app = Celery(
    "interop_app",
    broker=os.environ.get("INTEROP_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
    backend=os.environ.get("INTEROP_RESULT_BACKEND", "redis://127.0.0.1:6379/0"),
)
app.conf.update(
    # JSON unless a test says otherwise (INTEROP_SERIALIZER=msgpack ...), as a celeryconfig would.
    task_serializer=os.environ.get("INTEROP_SERIALIZER", "json"),
    result_serializer=os.environ.get("INTEROP_RESULT_SERIALIZER", "json"),
    accept_content=os.environ.get("INTEROP_ACCEPT", "json").split(","),
    enable_utc=True,
    timezone="UTC",
    # As the Java worker does: name, args, kwargs, worker, retries and queue beside each result.
    result_extended=True,
    # Remote control and events on exchanges of the test's own (INTEROP_CONTROL_EXCHANGE gives
    # <name>.pidbox and reply.<name>.pidbox), so tests on one broker never see each other's workers.
    control_exchange=os.environ.get("INTEROP_CONTROL_EXCHANGE", "celery"),
    event_exchange=os.environ.get("INTEROP_EVENT_EXCHANGE", "celeryev"),
    task_send_sent_event=os.environ.get("INTEROP_SEND_SENT_EVENT", "") == "1",
)


# --- Python tasks, called from Java -------------------------------------------------------------

@app.task(name="interop.py.add")
def add(x, y):
    return x + y


@app.task(name="interop.py.divide")
def divide(x, y):
    return x / y


@app.task(name="interop.py.error_handler")
def error_handler(task_id):
    """An old-style errback, as the seed's: Celery calls it with the failed task's id."""
    return {"failed_task_id": task_id}


@app.task(name="interop.py.greet")
def greet(name, greeting="Hello", punctuation="!"):
    return f"{greeting}, {name}{punctuation}"


@app.task(name="interop.py.now")
def now():
    """Seconds since the epoch when the task ran, to measure countdowns."""
    return time.time()


@app.task(name="interop.py.describe")
def describe(value):
    """What Python received: the type's name and repr, and the value itself."""
    return {"type": type(value).__name__, "repr": repr(value), "value": value}


@app.task(name="interop.py.sleep")
def sleep(seconds):
    """Holds a pool process for a while, so inspect sees it active."""
    time.sleep(seconds)
    return seconds


@app.task(name="interop.py.values")
def values():
    """Python values of every JSON type, for Java to read."""
    return {
        "int": 7,
        "float": 9.0,
        "big": 2 ** 100,
        "text": "中文 😀",
        "none": None,
        "true": True,
        "nested": {"list": [1, [2.5, "x"], {"k": None}]},
        "empty_list": [],
        "empty_dict": {},
        "tuple": (1, 2),
    }


@app.task(name="interop.py.specials")
def specials():
    """The floats JSON has no literal for; Python's json writes them as NaN, Infinity, -Infinity."""
    return [float("nan"), float("inf"), float("-inf")]


@app.task(name="interop.py.point")
def point(x, y):
    return {"x": x, "y": y}


@app.task(name="interop.py.request_header", bind=True)
def request_header(self, name):
    """A header of the message that called this task, as Celery's request carries it."""
    return getattr(self.request, name, None)


# --- Shared by both languages on one queue --------------------------------------------------

_redis = None


@app.task(name="interop.whoami", bind=True)
def whoami(self, i, runs_key):
    """Records that Python ran call i (in a Redis list the test reads) and says so."""
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(app.conf.result_backend)
    _redis.rpush(runs_key, i)
    time.sleep(0.02)
    return {"lang": "python", "i": i, "worker": self.request.hostname}


# --- Stubs: the Java tasks' names, so delay()/apply_async() can send them -----------------------
# They are never run here: the Java worker consumes the queue they are routed to.

def _runs_on_java(*args, **kwargs):
    raise NotImplementedError("this task runs on the Java worker")


for _name in ("interop.java.add", "interop.java.greet", "interop.java.now"):
    app.task(name=_name)(_runs_on_java)
