"""Prints one JSON line: for each named value, the hex of the bytes kombu's msgpack serializer
(packb(value, use_bin_type=True)) writes for it, and of zlib.compress (kombu's gzip/zlib) of a
JSON body. The Java tests build the same values and compare bytes both ways.

    msgpack_vectors.py
"""
import json
import zlib

from kombu.serialization import dumps

VALUES = {
    "ints": [0, 1, -1, 127, 128, 255, 256, -32, -33, 65535, 65536, 2 ** 31 - 1, 2 ** 31,
             2 ** 63 - 1, -2 ** 63, 2 ** 64 - 1],
    "floats": [0.0, 1.5, -2.25, 1e300, float("nan"), float("inf"), float("-inf")],
    "text": ["中文 😀", "", "x" * 40, "y" * 300, "z" * 70000],
    "bytes": [b"\x00\xff", b"", b"b" * 300],
    "nested": {"a": [1, {"b": [2.5, None, "x"]}], "t": True, "f": False, "e": {}},
    "body": [[1, "two"], {"k": 3.0}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}],
}


def main():
    line = {}
    for name, value in VALUES.items():
        content_type, encoding, data = dumps(value, serializer="msgpack")
        assert content_type == "application/x-msgpack" and encoding == "binary", (content_type, encoding)
        line[name] = data.hex()
    body = json.dumps(VALUES["body"]).encode()
    line["zlib_body"] = zlib.compress(body).hex()
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
