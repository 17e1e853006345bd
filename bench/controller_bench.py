"""Controller throughput and idle cost of a control-plane-only kcluster (driven by
bench/controller_bench.sh, which starts the server with --disable-agent).

usage: controller_bench.py DATA_DIR PORT SERVER_PID [--replicas 1000] [--idle-deployments 100]
                           [--idle-seconds 60] [--baseline-seconds 30] [--markers 8]

There is no kubelet, so pods stay Pending; a marker (this script) sets every pod it sees to
Running + Ready through the pods/status subresource, to simulate readiness. It re-marks a pod
whose Ready condition went away again (the scheduler rewrites status.conditions when it records
PodScheduled=False for an unschedulable pod).

Figures: time from the Deployment POST until all replicas' pods exist (seen on a watch), until the
Deployment reports them available; then, with N idle 1-replica Deployments, the server's CPU over
an idle period as % of one core (utime+stime from /proc/<pid>/stat).
"""
import argparse
import os
import queue
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kcapi  # noqa: E402

NS_BIG = "ctrlbench"
NS_IDLE = "ctrlbench-idle"


def now_rfc3339():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def deployment_json(ns, name, replicas):
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "terminationGracePeriodSeconds": 0,
                    "containers": [{"name": "c", "image": "busybox:1.35", "command": ["sleep", "3600"]}],
                },
            },
        },
    }


def is_ready(pod):
    st = pod.get("status") or {}
    if st.get("phase") != "Running":
        return False
    for c in st.get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


class Marker:
    """Marks pods Running+Ready; also records when each pod was first seen."""

    def __init__(self, api, workers):
        self.api = api
        self.q = queue.Queue()
        self.lock = threading.Lock()
        self.cv = threading.Condition(self.lock)
        self.pending = set()
        self.recheck = set()
        self.seen = {}        # "ns/name" -> first seen (monotonic)
        self.gone = set()     # deleted
        self.patches = 0
        self.errors = 0
        self.workers = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
        for w in self.workers:
            w.start()

    def on_event(self, typ, obj, t):
        md = obj.get("metadata") or {}
        key = "%s/%s" % (md.get("namespace"), md.get("name"))
        with self.cv:
            if typ == "DELETED":
                self.gone.add(key)
                self.seen.pop(key, None)
                self.cv.notify_all()
                return
            if key not in self.seen:
                self.seen[key] = t
                self.cv.notify_all()
            if md.get("deletionTimestamp") or is_ready(obj):
                return
            if key in self.pending:
                self.recheck.add(key)  # changed again while our patch was in flight
                return
            self.pending.add(key)
        self.q.put(key)

    def _work(self):
        while True:
            key = self.q.get()
            if key is None:
                return
            ns, name = key.split("/", 1)
            ts = now_rfc3339()
            cond = lambda t: {"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": ts}
            patch = {"status": {
                "phase": "Running",
                "startTime": ts,
                "conditions": [cond("Initialized"), cond("Ready"), cond("ContainersReady"), cond("PodScheduled")],
            }}
            try:
                self.api.request("PATCH", "/api/v1/namespaces/%s/pods/%s/status" % (ns, name), patch,
                                 content_type="application/merge-patch+json")
                with self.lock:
                    self.patches += 1
            except kcapi.ApiError as e:
                with self.lock:
                    if e.status != 404:
                        self.errors += 1
                        if self.errors <= 3:
                            print("marker: %s: %s" % (key, e), file=sys.stderr)
            except Exception as e:  # connection trouble: count it, the watch re-queues the pod
                with self.lock:
                    self.errors += 1
                    if self.errors <= 3:
                        print("marker: %s: %r" % (key, e), file=sys.stderr)
            finally:
                with self.lock:
                    again = key in self.recheck and key not in self.gone
                    self.recheck.discard(key)
                    if not again:
                        self.pending.discard(key)
                if again:
                    self.q.put(key)  # still pending: patched once more

    def count(self, ns):
        with self.lock:
            return sum(1 for k in self.seen if k.startswith(ns + "/"))

    def wait_count(self, ns, n, timeout, exact=False):
        """Waits until `ns` has >= n (or exactly n) pods; returns monotonic time or None."""
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                c = sum(1 for k in self.seen if k.startswith(ns + "/"))
                if (c == n) if exact else (c >= n):
                    return time.monotonic()
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cv.wait(min(left, 0.5))

    def stop(self):
        for _ in self.workers:
            self.q.put(None)


class DeploymentTracker:
    def __init__(self):
        self.cv = threading.Condition()
        self.available = {}   # "ns/name" -> availableReplicas
        self.first_full = {}  # "ns/name" -> monotonic when availableReplicas reached spec.replicas

    def on_event(self, typ, obj, t):
        md = obj.get("metadata") or {}
        key = "%s/%s" % (md.get("namespace"), md.get("name"))
        want = (obj.get("spec") or {}).get("replicas", 1)
        avail = (obj.get("status") or {}).get("availableReplicas", 0) or 0
        with self.cv:
            if typ == "DELETED":
                self.available.pop(key, None)
                return
            self.available[key] = avail
            if avail >= want and key not in self.first_full:
                self.first_full[key] = t
            self.cv.notify_all()

    def wait_full(self, keys, timeout):
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                missing = [k for k in keys if k not in self.first_full]
                if not missing:
                    return []
                left = deadline - time.monotonic()
                if left <= 0:
                    return missing
                self.cv.wait(min(left, 0.5))


def cpu_percent(pid, seconds):
    hz = os.sysconf("SC_CLK_TCK")
    c0 = kcapi.proc_cpu_ticks(pid)
    t0 = time.monotonic()
    time.sleep(seconds)
    c1 = kcapi.proc_cpu_ticks(pid)
    return (c1 - c0) / hz / (time.monotonic() - t0) * 100.0


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data_dir")
    p.add_argument("port", type=int)
    p.add_argument("server_pid", type=int)
    p.add_argument("--replicas", type=int, default=1000)
    p.add_argument("--idle-deployments", type=int, default=100)
    p.add_argument("--idle-seconds", type=int, default=60)
    p.add_argument("--baseline-seconds", type=int, default=30)
    p.add_argument("--markers", type=int, default=8)
    a = p.parse_args()
    api = kcapi.Api(a.data_dir, a.port)
    rows = []

    for ns in (NS_BIG, NS_IDLE):
        api.request("POST", "/api/v1/namespaces",
                    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}, ok=(201, 409))
        deadline = time.monotonic() + 60
        while api.try_request("GET", "/api/v1/namespaces/%s/serviceaccounts/default" % ns) is None:
            if time.monotonic() > deadline:
                raise SystemExit("no default ServiceAccount in %s" % ns)
            time.sleep(0.1)

    time.sleep(2)
    base = cpu_percent(a.server_pid, a.baseline_seconds)
    rows.append(("server CPU, fresh and idle (%d s)" % a.baseline_seconds, "%.2f %% of one core" % base, ""))
    log("baseline CPU %.2f%%" % base)

    marker = Marker(api, a.markers)
    deps = DeploymentTracker()
    pod_watch = kcapi.Watcher(api, "/api/v1/pods", marker.on_event)
    dep_watch = kcapi.Watcher(api, "/apis/apps/v1/deployments", deps.on_event)
    pod_watch.start()
    dep_watch.start()
    try:
        # --- one Deployment of N replicas ----------------------------------------------------
        cpu0 = kcapi.proc_cpu_ticks(a.server_pid)
        t0 = time.monotonic()
        api.request("POST", "/apis/apps/v1/namespaces/%s/deployments" % NS_BIG,
                    deployment_json(NS_BIG, "big", a.replicas))
        t_created = marker.wait_count(NS_BIG, a.replicas, 600)
        if t_created is None:
            raise SystemExit("only %d of %d pods created after 600 s" % (marker.count(NS_BIG), a.replicas))
        with marker.lock:
            first = min(v for k, v in marker.seen.items() if k.startswith(NS_BIG + "/"))
        rows.append(("Deployment %d replicas: first pod created" % a.replicas, "%.2f s" % (first - t0), ""))
        rows.append(("Deployment %d replicas: all pods created" % a.replicas, "%.2f s" % (t_created - t0),
                     "target <= 5 s"))
        log("%d pods created after %.2f s" % (a.replicas, t_created - t0))
        missing = deps.wait_full(["%s/big" % NS_BIG], 900)
        if missing:
            raise SystemExit("Deployment not fully available after 900 s (available %s)" %
                             deps.available.get("%s/big" % NS_BIG))
        t_avail = deps.first_full["%s/big" % NS_BIG]
        hz = os.sysconf("SC_CLK_TCK")
        cpu_s = (kcapi.proc_cpu_ticks(a.server_pid) - cpu0) / hz
        rows.append(("Deployment %d replicas: %d available" % (a.replicas, a.replicas), "%.2f s" % (t_avail - t0),
                     "%d status patches by the marker (%d errors); server used %.1f CPU-s" %
                     (marker.patches, marker.errors, cpu_s)))
        log("Deployment available after %.2f s" % (t_avail - t0))
        rss_big = kcapi.proc_rss_kib(a.server_pid)

        # Delete it (background propagation: the garbage collector removes the ReplicaSet and pods).
        t0 = time.monotonic()
        api.request("DELETE", "/apis/apps/v1/namespaces/%s/deployments/big" % NS_BIG,
                    {"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background"})
        t_gone = marker.wait_count(NS_BIG, 0, 600, exact=True)
        rows.append(("Deployment %d replicas deleted -> 0 pods" % a.replicas,
                     "%.2f s" % (t_gone - t0) if t_gone else "> 600 s", "background propagation (GC)"))

        # --- N idle Deployments of 1 replica ---------------------------------------------------
        t0 = time.monotonic()
        names = ["idle-%d" % i for i in range(a.idle_deployments)]
        for n in names:
            api.request("POST", "/apis/apps/v1/namespaces/%s/deployments" % NS_IDLE, deployment_json(NS_IDLE, n, 1))
        missing = deps.wait_full(["%s/%s" % (NS_IDLE, n) for n in names], 600)
        if missing:
            raise SystemExit("%d idle Deployments not available after 600 s" % len(missing))
        t_all = max(deps.first_full["%s/%s" % (NS_IDLE, n)] for n in names)
        rows.append(("%d Deployments x 1 replica: all available" % a.idle_deployments, "%.2f s" % (t_all - t0), ""))
        time.sleep(5)  # let the last status writes settle
        patches_before = marker.patches
        idle = cpu_percent(a.server_pid, a.idle_seconds)
        rows.append(("server CPU, %d idle Deployments (%d s)" % (a.idle_deployments, a.idle_seconds),
                     "%.2f %% of one core" % idle,
                     "target ~0; marker patches meanwhile: %d" % (marker.patches - patches_before)))
        rss = kcapi.proc_rss_kib(a.server_pid)
        rows.append(("server RSS", "%.0f MiB" % (rss / 1024.0),
                     "(%.0f MiB with the %d-replica Deployment)" % (rss_big / 1024.0, a.replicas)))
    finally:
        pod_watch.stop()
        dep_watch.stop()
        marker.stop()

    print("%-50s %-20s %s" % ("controller_bench", "figure", "note"))
    for what, fig, note in rows:
        print("%-50s %-20s %s" % (what, fig, note))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
