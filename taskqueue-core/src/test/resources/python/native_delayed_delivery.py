"""Celery 5.5+'s native delayed delivery, done with Debian's Celery 5.2.6 and kombu 5.2.4
(which predate it) for NativeDelayedDeliveryIntegrationTests.

    native_delayed_delivery.py declare <queue-type>
        declares the celery_delayed_* exchanges and queues with the arguments kombu 5.5's
        declare_native_delayed_delivery_exchanges_and_queues gives them; the broker refuses
        (PRECONDITION_FAILED, exit status 1) if they exist with other arguments
    native_delayed_delivery.py send <task> <routing-key> <countdown> <args-json>
        sends a task as a Celery 5.5+ client sends a countdown task to a quorum queue with a
        topic exchange: to celery_delayed_27 with the delay's bits and the queue's routing key
        (kombu's calculate_routing_key), with the eta header; prints the task id
"""
import json
import os
import sys

from celery import Celery
from kombu import Connection, Exchange, Queue

BROKER = os.environ.get("DELAYED_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
LEVELS = 28


def level(n):
    return "celery_delayed_%d" % n


def declare(queue_type):
    with Connection(BROKER) as connection:
        channel = connection.channel()
        for n in range(LEVELS - 1, -1, -1):
            Exchange(level(n), type="topic", channel=channel).declare()
            arguments = {
                "x-queue-type": queue_type,
                "x-overflow": "reject-publish",
                "x-message-ttl": (2 ** n) * 1000,
                "x-dead-letter-exchange": level(n - 1) if n > 0 else "celery_delayed_delivery",
            }
            if queue_type == "quorum":
                arguments["x-dead-letter-strategy"] = "at-least-once"
            queue = Queue(level(n), queue_arguments=arguments, channel=channel)
            queue.declare()
            queue.bind_to(level(n), "*." * (LEVELS - 1 - n) + "1.#")
        for n in range(LEVELS - 1, 0, -1):
            Exchange(level(n - 1), type="topic", channel=channel).bind_to(level(n), "*." * (LEVELS - 1 - n) + "0.#")
        delivery = Exchange("celery_delayed_delivery", type="topic", channel=channel)
        delivery.declare()
        delivery.bind_to(level(0), "*." * (LEVELS - 1) + "0.#")
    print("declared")


def routing_key(countdown, key):
    return ".".join(format(countdown, "0%db" % LEVELS)) + "." + key


def send(task, key, countdown, args):
    app = Celery("delayed", broker=BROKER)
    app.conf.update(enable_utc=True, timezone="UTC")
    result = app.send_task(task, args=args, countdown=countdown,
                           exchange=Exchange(level(LEVELS - 1), type="topic"),
                           routing_key=routing_key(int(countdown), key), declare=[])
    print(result.id)


if __name__ == "__main__":
    if sys.argv[1] == "declare":
        declare(sys.argv[2])
    else:
        send(sys.argv[2], sys.argv[3], float(sys.argv[4]), json.loads(sys.argv[5]))
