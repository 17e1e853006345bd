"""Pod startup latency against a running one-node kcluster (driven by bench/pod_startup.sh).

usage: pod_startup.py DATA_DIR PORT SERVER_PID [--seq 10] [--burst 10,100] [--perf FILE]

Latency of a pod = (Running seen on a watch of pods) - (client clock just before its POST).
Prints one table; exits non-zero when a pod never became Running.
"""
import argparse
import concurrent.futures
import os
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kcapi  # noqa: E402

NS = "podbench"


def pod_json(name):
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": NS, "labels": {"app": "podbench"}},
        "spec": {
            "terminationGracePeriodSeconds": 0,
            "containers": [{"name": "c", "image": "busybox:1.35", "command": ["sleep", "3600"]}],
        },
    }


class PodTracker:
    """Running/deleted times per pod name, fed by a Watcher."""

    def __init__(self, uid_file=""):
        self.cv = threading.Condition()
        self.uids = set()
        self.uid_file = uid_file
        self.running = {}
        self.deleted = {}
        self.failed = {}

    def on_event(self, typ, obj, t):
        md = obj.get("metadata") or {}
        name = md.get("name")
        phase = (obj.get("status") or {}).get("phase")
        uid = md.get("uid")
        with self.cv:
            if uid and uid not in self.uids:
                self.uids.add(uid)
                if self.uid_file:
                    with open(self.uid_file, "a") as f:
                        f.write(uid + "\n")
            if typ == "DELETED":
                self.deleted[name] = t
            elif phase == "Running" and name not in self.running:
                self.running[name] = t
            elif phase == "Failed" and name not in self.failed:
                self.failed[name] = t
            self.cv.notify_all()

    def wait(self, names, table, timeout):
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                missing = [n for n in names if n not in table]
                if not missing:
                    return []
                left = deadline - time.monotonic()
                if left <= 0:
                    return missing
                self.cv.wait(min(left, 1.0))


class Bench:
    def __init__(self, args):
        self.args = args
        self.api = kcapi.Api(args.data_dir, args.port)
        self.sock = os.path.join(args.data_dir, "agent", "containerd", "containerd.sock")
        self.tracker = PodTracker(args.uid_file)
        self.rows = []
        self.cpu_notes = []

    def log(self, msg):
        print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)

    def wait_ready(self):
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            nodes = self.api.try_request("GET", "/api/v1/nodes") or {}
            for n in nodes.get("items", []):
                for c in (n.get("status") or {}).get("conditions", []):
                    if c.get("type") == "Ready" and c.get("status") == "True":
                        self.node = n["metadata"]["name"]
                        return
            time.sleep(0.2)
        raise SystemExit("node not Ready within 180 s")

    def setup_namespace(self):
        self.api.request("POST", "/api/v1/namespaces",
                         {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}},
                         ok=(201, 409))
        deadline = time.monotonic() + 60
        while self.api.try_request("GET", "/api/v1/namespaces/%s/serviceaccounts/default" % NS) is None:
            if time.monotonic() > deadline:
                raise SystemExit("no default ServiceAccount in %s" % NS)
            time.sleep(0.1)

    def create(self, name):
        """POSTs the pod; returns the client time taken just before the POST."""
        for attempt in range(50):
            t0 = time.monotonic()
            try:
                self.api.request("POST", "/api/v1/namespaces/%s/pods" % NS, pod_json(name))
                return t0
            except kcapi.ApiError as e:
                if e.status in (409,) or attempt == 49:
                    raise
                time.sleep(0.1)  # e.g. a transient 429/500

    def delete_all(self, names, timeout=180):
        """Deletes `names` (grace 0), waits for the DELETED events and for containerd's tasks to go;
        returns seconds until all tasks were gone."""
        t0 = time.monotonic()
        body = {"apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0}
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(16, len(names))) as ex:
            list(ex.map(lambda n: self.api.try_request(
                "DELETE", "/api/v1/namespaces/%s/pods/%s" % (NS, n), body, ok=(200, 202, 404)), names))
        missing = self.tracker.wait(names, self.tracker.deleted, timeout)
        if missing:
            self.log("pods not deleted within %d s: %s" % (timeout, missing[:5]))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            tasks = kcapi.containerd_tasks(self.sock)
            if tasks is not None and len(tasks) <= self.base_tasks:
                return time.monotonic() - t0
            time.sleep(0.2)
        self.log("containerd tasks still running %d s after the delete" % timeout)
        return None

    def cpu_mark(self):
        """CPU seconds so far: (machine busy, machine total, server, containerd)."""
        hz = os.sysconf("SC_CLK_TCK")
        busy, total = kcapi.machine_cpu_seconds()
        srv = kcapi.proc_cpu_ticks(self.args.server_pid) / hz
        ctrd = 0.0
        pid = self.containerd_pid()
        if pid:
            try:
                ctrd = kcapi.proc_cpu_ticks(pid) / hz
            except OSError:
                pass
        return busy, total, srv, ctrd

    def cpu_note(self, what, m0, m1, wall):
        busy, total, srv, ctrd = (b - a for a, b in zip(m0, m1))
        ncpu = os.cpu_count() or 1
        self.cpu_notes.append(
            "%s: %.1f s wall, machine busy %.0f%% of %d CPUs (%.1f CPU-s): kcluster server %.1f, "
            "containerd %.1f, other %.1f (shims, runc, CNI plugins, kernel, this client, other users)"
            % (what, wall, 100.0 * busy / total if total else 0, ncpu, busy, srv, ctrd, busy - srv - ctrd))

    def containerd_pid(self):
        try:
            with open(os.path.join(self.args.data_dir, "agent", "containerd", "containerd.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def burst(self, prefix, n):
        names = ["%s-%d" % (prefix, i) for i in range(n)]
        starts = {}
        barrier = threading.Barrier(min(n, 32))

        def worker(chunk):
            barrier.wait()
            for name in chunk:
                starts[name] = self.create(name)

        perf = None
        if self.args.perf and n == max(self.args.burst):
            # Diagnostic: whole-machine profile of the largest burst (perf report -i FILE).
            perf = subprocess.Popen(["perf", "record", "-a", "-g", "-F", "199", "-o", self.args.perf],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        m0 = self.cpu_mark()
        workers = min(n, 32)
        chunks = [names[i::workers] for i in range(workers)]
        threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        missing = self.tracker.wait(names, self.tracker.running, 300)
        if perf is not None:
            perf.send_signal(signal.SIGINT)
            perf.wait()
        if missing:
            raise SystemExit("%d pods not Running after 300 s (e.g. %s); failed: %s" % (
                len(missing), missing[:3], list(self.tracker.failed)[:3]))
        lat = [self.tracker.running[x] - starts[x] for x in names]
        all_running = max(self.tracker.running[x] for x in names) - min(starts.values())
        self.cpu_note("start %d pods" % n, m0, self.cpu_mark(), all_running)
        posted = max(starts.values()) - min(starts.values())
        return names, lat, all_running, posted

    def add_row(self, what, lat, extra=""):
        ms = [x * 1000 for x in lat]
        self.rows.append((what, len(ms), kcapi.percentile(ms, 50), kcapi.percentile(ms, 99), max(ms), extra))

    def run(self):
        a = self.args
        self.wait_ready()
        self.log("node %s Ready" % self.node)
        self.setup_namespace()
        base = kcapi.containerd_tasks(self.sock)
        self.base_tasks = len(base) if base is not None else 0
        watcher = kcapi.Watcher(self.api, "/api/v1/namespaces/%s/pods" % NS, self.tracker.on_event)
        watcher.start()
        try:
            self._run(a)
        finally:
            watcher.stop()
        self.print_table()

    def _run(self, a):
        # Warm-up: the first pod on a fresh node (sandbox image and busybox snapshots unpacked).
        t0 = self.create("warmup")
        if self.tracker.wait(["warmup"], self.tracker.running, 180):
            raise SystemExit("warm-up pod not Running after 180 s")
        self.add_row("first pod on a fresh node (cold)", [self.tracker.running["warmup"] - t0])
        self.delete_all(["warmup"])

        seq = []
        for i in range(a.seq):
            name = "seq-%d" % i
            t0 = self.create(name)
            if self.tracker.wait([name], self.tracker.running, 180):
                raise SystemExit("%s not Running after 180 s" % name)
            seq.append(self.tracker.running[name] - t0)
            self.delete_all([name])
        self.add_row("1 pod, sequential (create, Running, delete)", seq)
        self.log("sequential: %s ms" % [round(x * 1000) for x in seq])

        for n in a.burst:
            names, lat, all_running, posted = self.burst("b%d" % n, n)
            extra = "all Running after %.2f s (POSTs took %.2f s)" % (all_running, posted)
            if n == max(a.burst):
                srv = kcapi.proc_rss_kib(a.server_pid)
                ctrd_pid = self.containerd_pid()
                ctrd = kcapi.proc_rss_kib(ctrd_pid) if ctrd_pid else None
                shims = [kcapi.proc_rss_kib(p) or 0 for p in kcapi.pids_with_cmdline(self.sock)
                         if p != ctrd_pid and p != a.server_pid]
                self.rss = (n, srv, ctrd, len(shims), sum(shims))
            self.add_row("%d pods at once" % n, lat, extra)
            self.log("%d pods: all Running after %.2f s" % (n, all_running))
            m0 = self.cpu_mark()
            secs = self.delete_all(names, timeout=300)
            if secs is not None:
                self.cpu_note("delete %d pods" % n, m0, self.cpu_mark(), secs)
            if secs is not None:
                self.deletes = getattr(self, "deletes", []) + ["%d pods deleted -> all tasks gone: %.1f s" % (n, secs)]

    def print_table(self):
        print("%-46s %5s %10s %10s %10s  %s" % ("pod startup (POST -> Running on watch)", "n", "p50 ms", "p99 ms", "max ms", ""))
        for what, n, p50, p99, mx, extra in self.rows:
            print("%-46s %5d %10.0f %10.0f %10.0f  %s" % (what, n, p50, p99, mx, extra))
        if hasattr(self, "rss"):
            n, srv, ctrd, nshims, shims = self.rss
            fmt = lambda k: "%.0f MiB" % (k / 1024.0) if k is not None else "n/a"
            print("RSS with %d pods running: kcluster server %s, containerd %s, %d shims %s in total"
                  % (n, fmt(srv), fmt(ctrd), nshims, fmt(shims)))
        for d in getattr(self, "deletes", []):
            print(d)
        for d in self.cpu_notes:
            print(d)
        sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data_dir")
    p.add_argument("port", type=int)
    p.add_argument("server_pid", type=int)
    p.add_argument("--seq", type=int, default=10)
    p.add_argument("--burst", default="10,100")
    p.add_argument("--uid-file", default="", help="append the UID of every pod seen here")
    p.add_argument("--perf", default="", help="perf record -a the largest burst into this file")
    args = p.parse_args()
    args.burst = [int(x) for x in args.burst.split(",") if x]
    Bench(args).run()


if __name__ == "__main__":
    main()
