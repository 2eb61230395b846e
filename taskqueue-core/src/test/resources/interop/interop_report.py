"""How the client scripts describe an outcome: the state, and either the value with its Python
type and repr, or the reconstructed exception with its Python class, args and the traceback."""
import json
import time

from celery.exceptions import TimeoutError


def report(result, timeout):
    started = time.time()
    try:
        value = result.get(timeout=timeout, propagate=False)
    except TimeoutError:
        return {"state": result.state, "timed_out": True}
    line = {"state": result.state, "waited": time.time() - started}
    if isinstance(value, BaseException):
        line.update({
            "exc_class": f"{type(value).__module__}.{type(value).__qualname__}",
            "exc_args": [_plain(arg) for arg in value.args],
            "exc_str": str(value),
            "traceback": result.traceback,
        })
    else:
        line.update({"result_type": type(value).__name__, "result_repr": repr(value)})
        try:
            json.dumps(value)
            line["result"] = value
        except TypeError:
            pass  # bytes (msgpack): only the repr can say what arrived
    return line


def _plain(value):
    return value if isinstance(value, (str, int, float, bool, type(None), list, dict)) else repr(value)
