"""Celery app for the mixed-language canvas tests (CanvasInteropIntegrationTests).

The Java test starts a worker on it with
    python3 -m celery -A canvas_tasks worker -Q <queue> -c 2 -P prefork \
        --without-mingle --without-gossip --without-heartbeat
Task names are those of Celery's reference app (celery-vectors/tasks.py.txt), which the Java test
workers register too; each side consumes its own queue, and every signature says its queue.
"""
import os

from celery import Celery

app = Celery(
    "canvas_tasks",
    broker=os.environ.get("CANVAS_BROKER", "amqp://guest:guest@127.0.0.1:5672//"),
    backend=os.environ.get("CANVAS_BACKEND", "redis://127.0.0.1:6379/0"),
)
serializer = os.environ.get("CANVAS_SERIALIZER", "json")  # msgpack for the msgpack canvas tests
app.conf.update(
    task_serializer=serializer,
    result_serializer=serializer,
    accept_content=["json", serializer],
    enable_utc=True,
    timezone="UTC",
    task_default_queue=os.environ.get("CANVAS_QUEUE", "celery"),
    worker_hijack_root_logger=False,
)


@app.task(name="tasks.add")
def add(x, y):
    return x + y


@app.task(name="tasks.tsum")
def tsum(values):
    return sum(values)


@app.task(name="tasks.divide")
def divide(x, y):
    return x / y


@app.task(name="tasks.error_handler")
def error_handler(task_id):
    return {"failed_task_id": task_id}
