"""Black-box test (issue 15, item 1): one client cannot stop the server.
Thousands of idle and slow connections from one address (127.0.0.1) while
another address (127.0.0.2) looks cards up: its p99 stays under 50 ms. A
client that sends one header line at a time, never finishing its request,
is cut off at the request deadline (not only silence is timed out).
Loopback only, bounded in time.

Usage: python3 test_flood.py /path/to/kaiku
"""

import errno
import http.client
import resource
import socket
import threading
import time

import kaikutest

FLOOD = 5000
DEADLINE = 3  # --request-deadline, seconds


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, FLOOD + 1000) if hard != resource.RLIM_INFINITY else FLOOD + 1000
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def slow_client_cut(port):
    """Seconds until the server closes a request sent one header line per
    second, or None when it is still open after DEADLINE + 5 s."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.2)
    start = time.time()
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        while time.time() - start < DEADLINE + 5:
            try:
                s.sendall(b"X-Slow: %d\r\n" % int(time.time() - start))
            except OSError:
                return time.time() - start
            try:
                if s.recv(1024) == b"":
                    return time.time() - start
            except socket.timeout:
                pass
            except OSError:
                return time.time() - start
            time.sleep(0.8)
        return None
    finally:
        s.close()


def run(t):
    limit = raise_fd_limit()
    t.check("the test may open enough descriptors", limit >= FLOOD + 200, limit)
    srv = t.server()
    srv.serve_args = ["--request-deadline", str(DEADLINE)]
    s = srv.start()
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    s.call("POST", "/api/v1/regions", {"id": "r1", "name": "R"}, nat)
    s.call("POST", "/api/v1/units", {"id": "u1", "region": "r1", "name": "U"}, nat)
    t.expect("stock", s.call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": ["A1"]}, nat), 201)

    # ---- a request that never finishes is cut off at the deadline ----
    cut = slow_client_cut(s.port)
    t.check("one header line a second: cut off at the request deadline",
            cut is not None and cut < DEADLINE + 2, cut)

    # ---- the flood: idle and slow connections from 127.0.0.1 ----
    socks = []
    stop = threading.Event()
    for i in range(FLOOD):
        c = socket.socket()
        c.setblocking(False)
        err = c.connect_ex(("127.0.0.1", s.port))
        if err not in (0, errno.EINPROGRESS):
            c.close()
            continue
        socks.append(c)
    t.check("thousands of connections opened", len(socks) >= FLOOD * 0.9, len(socks))

    def trickle():
        """Half the connections send a header line now and then; closed ones
        are opened again, at a bounded rate."""
        n = 0
        while not stop.is_set():
            for c in socks[n % 2::2][:200]:
                try:
                    c.send(b"GET / HTTP/1.1\r\n" if n == 0 else b"X-A: b\r\n")
                except OSError:
                    pass
            n += 1
            stop.wait(0.5)

    th = threading.Thread(target=trickle)
    th.start()
    try:
        time.sleep(1)
        times, statuses = [], []
        for i in range(300):
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5,
                                              source_address=("127.0.0.2", 0))
            try:
                conn.request("GET", "/api/v1/cards/A1",
                             headers={"Authorization": "Bearer " + nat})
                resp = conn.getresponse()
                resp.read()
                statuses.append(resp.status)
            except OSError as e:
                statuses.append(repr(e))
            finally:
                conn.close()
            times.append(time.perf_counter() - start)
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        t.check("every lookup from 127.0.0.2 answered", statuses == [200] * 300,
                sorted(set(map(str, statuses))))
        t.check("p99 of lookups under 50 ms during the flood", p99 < 0.050,
                {"p50_ms": times[len(times) // 2] * 1e3, "p99_ms": p99 * 1e3,
                 "max_ms": times[-1] * 1e3})
    finally:
        stop.set()
        th.join()
        for c in socks:
            c.close()
    r = s.call("GET", "/healthz")
    t.check("and 127.0.0.1 is served again once the flood is over", r[0] == 200, r)


if __name__ == "__main__":
    kaikutest.main(run)
