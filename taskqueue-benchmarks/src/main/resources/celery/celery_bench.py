"""Drives the reference Celery app (tasks.py beside this file) for taskqueue's scripts/bench.

Run with the Python that has Celery (Debian's /usr/bin/python3), from this file's directory.
Each command prints one JSON object on standard output:

  ping    --worker NAME [--timeout S]          wait until the worker answers
  drain   --queue Q --n N --worker NAME          N tasks, from the first publish to the last result
          [--paused]                            stored (or, with BENCH_IGNORE_RESULT=1, to the
                                                last task accepted by the worker); --paused
                                                cancels the worker's consumer while publishing
                                                and times the worker alone after add_consumer
  latency --queue Q --n N [--warmup W]          sequential noop.apply_async(queue=Q).get()
  bulk    --queue Q --n N                       group([noop.s()] * N).apply_async(queue=Q), timed
                                                after a warm-up group; the queue is purged after
  eta     --queue Q --n N --key K --start-ms S  N eta_probe tasks, one apply_async each, their etas
          --span-ms D                           spread evenly over [S, S + D); each appends its
                                                lateness to the Redis list K
  chord   --queue Q --n N --key K               chord([add.s(i, i) for i < N], chord_body.s(K)),
          [--timeout S]                         from apply_async to the body's result

BENCH_IGNORE_RESULT=1 in the environment turns results off in tasks.py (producer and worker).
BENCH_CONFIRM_PUBLISH=1 makes the producer wait for publisher confirms (kombu's confirm_publish).
"""
import argparse
import json
import multiprocessing
import os
import sys
import time
import uuid

PREFIX = 'celery-task-meta-'


def watch(ids, redis_url, ready, out, timeout):
    """In a process of its own: sees each result being stored (SETEX + PUBLISH in one pipeline)."""
    import redis
    client = redis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    pubsub.psubscribe(PREFIX + '*')
    while True:
        message = pubsub.get_message(timeout=5.0)
        if message and message['type'] == 'psubscribe':
            break
    ready.set()
    pending = set(ids)
    failures = 0
    end = None
    deadline = time.time() + timeout
    while pending and time.time() < deadline:
        message = pubsub.get_message(timeout=1.0)
        if not message or message['type'] != 'pmessage':
            continue
        task_id = message['channel'].decode()[len(PREFIX):]
        if task_id in pending:
            pending.discard(task_id)
            if b'"SUCCESS"' not in message['data']:
                failures += 1
            if not pending:
                end = time.time()
    out.put({'end': end, 'missing': len(pending), 'failures': failures})


def delete_results(app, ids):
    client = app.backend.client
    for i in range(0, len(ids), 1000):
        client.delete(*[PREFIX + task_id for task_id in ids[i:i + 1000]])


def queue_depth(app, queue):
    with app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(queue=queue, passive=True).message_count


def accepted(app, worker):
    reply = app.control.inspect(destination=[worker], timeout=5.0, limit=1).stats() or {}
    return sum((reply.get(worker) or {}).get('total', {}).values())


def cmd_ping(app, args):
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        if app.control.ping(destination=[args.worker], timeout=1.0):
            return {'ok': True}
        time.sleep(0.5)
    raise SystemExit('worker %s did not answer within %s s' % (args.worker, args.timeout))


def cmd_drain(app, args):
    from tasks import noop
    ignore = os.environ.get('BENCH_IGNORE_RESULT') == '1'
    ids = [str(uuid.uuid4()) for _ in range(args.n)]
    if not ignore:
        context = multiprocessing.get_context('fork')
        ready = context.Event()
        out = context.Queue()
        watcher = context.Process(target=watch, args=(ids, app.conf.result_backend, ready, out, args.timeout))
        watcher.start()
        if not ready.wait(30):
            raise SystemExit('result watcher did not subscribe')
    else:
        before = accepted(app, args.worker)
    if args.paused:
        app.control.cancel_consumer(args.queue, destination=[args.worker], reply=True, timeout=10)
    start = time.time()
    for task_id in ids:
        noop.apply_async(queue=args.queue, task_id=task_id)
    published = time.time()
    if args.paused:
        app.control.add_consumer(args.queue, destination=[args.worker], reply=True, timeout=10)
    if not ignore:
        result = out.get(timeout=args.timeout + 10)
        watcher.join()
        if result['missing'] or result['end'] is None:
            raise SystemExit('%d results missing' % result['missing'])
        end = result['end']
        failures = result['failures']
        delete_results(app, ids)
    else:
        deadline = time.time() + args.timeout
        # The broker's queue empties first (cheap to ask), then the worker's count of accepted
        # tasks reaches N (a remote-control round trip).
        while queue_depth(app, args.queue) > 0 and time.time() < deadline:
            time.sleep(0.005)
        while accepted(app, args.worker) < before + args.n:
            if time.time() > deadline:
                raise SystemExit('worker did not run all tasks in time')
            time.sleep(0.01)
        end = time.time()
        failures = 0
    return {'seconds': end - start, 'publishSeconds': published - start, 'consumeSeconds': end - published,
            'failures': failures, 'queueDepthAfter': queue_depth(app, args.queue)}


def cmd_latency(app, args):
    from tasks import noop
    ids = []
    for _ in range(args.warmup):
        result = noop.apply_async(queue=args.queue)
        result.get(timeout=10)
        ids.append(result.id)
    samples = []
    for _ in range(args.n):
        start = time.perf_counter()
        result = noop.apply_async(queue=args.queue)
        result.get(timeout=10)
        samples.append((time.perf_counter() - start) * 1000.0)
        ids.append(result.id)
    delete_results(app, ids)
    return {'samplesMillis': samples}


def cmd_bulk(app, args):
    from celery import group
    from tasks import noop
    if os.environ.get('BENCH_CONFIRM_PUBLISH') == '1':
        app.conf.broker_transport_options = {'confirm_publish': True}
    group([noop.s() for _ in range(min(args.n, 1000))]).apply_async(queue=args.queue)
    purge(app, args.queue)
    signatures = group([noop.s() for _ in range(args.n)])
    start = time.time()
    signatures.apply_async(queue=args.queue)
    seconds = time.time() - start
    depth = queue_depth(app, args.queue)
    purge(app, args.queue)
    return {'seconds': seconds, 'n': args.n, 'queueDepth': depth}


def cmd_eta(app, args):
    from datetime import datetime, timezone
    from tasks import eta_probe
    start = time.time()
    late = 0
    for i in range(args.n):
        eta_ms = args.start_ms + (i * args.span_ms) // args.n
        eta = datetime.fromtimestamp(eta_ms / 1000.0, tz=timezone.utc)
        eta_probe.apply_async((eta_ms, args.key), queue=args.queue, eta=eta)
        if time.time() * 1000 >= eta_ms:
            late += 1
    return {'seconds': time.time() - start, 'n': args.n, 'late': late}


def cmd_chord(app, args):
    from celery import chord
    from tasks import add, chord_body
    start = time.time()
    result = chord([add.s(i, i) for i in range(args.n)], chord_body.s(args.key)).apply_async(queue=args.queue)
    sent = time.time()
    # Polls the body's record: with a 10,000-part chord, Celery 5.2.6's result.get() (its pub/sub
    # result consumer) did not return within minutes of the body's result being stored.
    deadline = time.time() + args.timeout
    while result.state not in ('SUCCESS', 'FAILURE'):
        if time.time() > deadline:
            raise SystemExit('the chord did not complete in %s s' % args.timeout)
        time.sleep(0.05)
    end = time.time()
    value = result.result
    ids = [child.id for child in result.parent.results] + [result.id]
    return {'seconds': end - start, 'sendSeconds': sent - start, 'value': value, 'ids': ids}


def purge(app, queue):
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue=queue)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('command', choices=['ping', 'drain', 'latency', 'bulk', 'eta', 'chord'])
    parser.add_argument('--queue')
    parser.add_argument('--worker')
    parser.add_argument('--n', type=int, default=0)
    parser.add_argument('--warmup', type=int, default=0)
    parser.add_argument('--timeout', type=float, default=300)
    parser.add_argument('--paused', action='store_true')
    parser.add_argument('--key')
    parser.add_argument('--start-ms', type=int, default=0)
    parser.add_argument('--span-ms', type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from tasks import app
    result = globals()['cmd_' + args.command](app, args)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
