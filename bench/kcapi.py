"""Tiny stdlib-only client for kcluster's API, used by the benchmark scripts in bench/.

Talks HTTPS with the admin client certificate of a server's data dir
(<data-dir>/server/tls/client-admin.{crt,key}, CA server-ca.crt). One Api object may be used
from many threads: every thread gets its own keep-alive connection. Watches get a connection of
their own and yield (type, object) tuples.

Not a test and not part of kcluster: a helper for pod_startup.sh and controller_bench.sh.
"""
import http.client
import json
import os
import socket
import ssl
import subprocess
import threading
import time


class ApiError(Exception):
    def __init__(self, status, body):
        super().__init__("HTTP %d: %s" % (status, body[:300]))
        self.status = status
        self.body = body


class Api:
    def __init__(self, data_dir, port, host="127.0.0.1", timeout=60):
        tls = os.path.join(data_dir, "server", "tls")
        ctx = ssl.create_default_context(cafile=os.path.join(tls, "server-ca.crt"))
        ctx.load_cert_chain(os.path.join(tls, "client-admin.crt"), os.path.join(tls, "client-admin.key"))
        self.ctx = ctx
        self.host = host
        self.port = int(port)
        self.timeout = timeout
        self._local = threading.local()

    def connect(self, timeout=None):
        return http.client.HTTPSConnection(self.host, self.port, context=self.ctx,
                                           timeout=self.timeout if timeout is None else timeout)

    def _conn(self):
        c = getattr(self._local, "conn", None)
        if c is None:
            c = self.connect()
            self._local.conn = c
        return c

    def request(self, method, path, body=None, content_type="application/json", ok=(200, 201, 202)):
        """Returns the decoded JSON body; raises ApiError for a status not in `ok`."""
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            headers["Content-Type"] = content_type
        for attempt in range(2):
            c = self._conn()
            try:
                c.request(method, path, body=data, headers=headers)
                r = c.getresponse()
                raw = r.read()
                break
            except (http.client.HTTPException, OSError):
                # A kept-alive connection the server closed: reconnect once.
                c.close()
                self._local.conn = None
                if attempt == 1:
                    raise
        text = raw.decode(errors="replace")
        if r.status not in ok:
            raise ApiError(r.status, text)
        return json.loads(text) if text else {}

    def try_request(self, *args, **kwargs):
        """request() that returns None instead of raising ApiError."""
        try:
            return self.request(*args, **kwargs)
        except ApiError:
            return None

    def watch(self, path, resource_version, timeout_seconds=300, holder=None):
        """Yields (type, object) from a watch of `path` (a collection path) starting after
        `resource_version`, until the server ends the stream. When `holder` (a list) is given the
        open connection is appended to it, so another thread can end the watch with
        close_watch(holder). The caller resumes from the last object's resourceVersion."""
        sep = "&" if "?" in path else "?"
        full = "%s%swatch=true&resourceVersion=%s&timeoutSeconds=%d&allowWatchBookmarks=true" % (
            path, sep, resource_version, timeout_seconds)
        c = self.connect(timeout=30)
        if holder is not None:
            holder.append(c)
        try:
            c.request("GET", full, headers={"Accept": "application/json"})
            r = c.getresponse()
            if r.status != 200:
                raise ApiError(r.status, r.read().decode(errors="replace"))
            c.sock.settimeout(None)  # events may be far apart; close_watch() ends a blocked read
            while True:
                line = r.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    continue
                ev = json.loads(line)
                yield ev.get("type"), ev.get("object") or {}
        finally:
            c.close()
            if holder is not None and c in holder:
                holder.remove(c)


def close_watch(holder):
    for c in list(holder):
        try:
            c.sock.shutdown(socket.SHUT_RDWR)
        except (OSError, AttributeError):
            pass


class Watcher(threading.Thread):
    """Keeps a watch on a collection open (re-opening it from the last resourceVersion) and calls
    `on_event(type, obj, t)` with t = time.monotonic() at receipt, from its own thread."""

    def __init__(self, api, path, on_event):
        super().__init__(daemon=True)
        self.api = api
        self.path = path
        self.on_event = on_event
        self.stop_event = threading.Event()
        lst = api.request("GET", path)
        self.rv = lst["metadata"]["resourceVersion"]
        self.initial = lst.get("items", [])
        self.error = None
        self._conns = []

    def run(self):
        while not self.stop_event.is_set():
            try:
                for typ, obj in self.api.watch(self.path, self.rv, holder=self._conns):
                    t = time.monotonic()
                    rv = (obj.get("metadata") or {}).get("resourceVersion")
                    if rv:
                        self.rv = rv
                    if typ == "ERROR":
                        # 410 Expired: relist and continue from now.
                        lst = self.api.request("GET", self.path)
                        self.rv = lst["metadata"]["resourceVersion"]
                        break
                    if typ != "BOOKMARK":
                        self.on_event(typ, obj, t)
            except Exception as e:  # keep watching; remember the last problem
                self.error = e
                time.sleep(0.2)

    def stop(self):
        self.stop_event.set()
        close_watch(self._conns)
        self.join(5)


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of `values`; None when empty."""
    if not values:
        return None
    v = sorted(values)
    i = min(len(v) - 1, int(p / 100.0 * len(v)))
    return v[i]


def proc_rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def proc_cpu_ticks(pid):
    """utime + stime of a process, in clock ticks."""
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def machine_cpu_seconds():
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v) - idle) / hz, sum(v) / hz


def pids_with_cmdline(substring):
    """PIDs whose command line contains `substring`."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if substring in cmd:
            out.append(int(d))
    return out


def containerd_tasks(sock):
    """Task IDs in containerd's k8s.io namespace (None when ctr fails)."""
    try:
        r = subprocess.run(["ctr", "--address", sock, "-n", "k8s.io", "tasks", "ls", "-q"],
                           capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if r.returncode != 0:
        return None
    return [t for t in r.stdout.split() if t]
