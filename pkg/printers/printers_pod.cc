// Pod table: READY, STATUS (upstream's reason algorithm), RESTARTS, AGE | IP, NODE, NOMINATED
// NODE, READINESS GATES.
#include <map>
#include <string>

#include "pkg/printers/printer_registry.h"

namespace kc::printers {
namespace internal {
namespace {

bool IsTerminalPhase(const std::string& phase) { return phase == "Succeeded" || phase == "Failed"; }

// Raises *latest to the container's lastState.terminated.finishedAt when that is later.
void RaiseLastRestart(const boost::json::object* status, std::optional<TimePoint>* latest) {
  const auto* term = FindObj(FindObj(status, "lastState"), "terminated");
  if (!term) return;
  auto finished = ParseTime(Str(*term, "finishedAt"));
  if (!finished) return;
  if (!*latest || **latest < *finished) *latest = *finished;
}

// The first condition of `type` (upstream stops at the first match).
const boost::json::object* FirstCondition(const boost::json::object* status, std::string_view type) {
  const auto* conds = FindArr(status, "conditions");
  if (!conds) return nullptr;
  for (const auto& c : *conds) {
    const auto* co = c.if_object();
    if (co && Str(*co, "type") == type) return co;
  }
  return nullptr;
}

bool AnyConditionTrue(const boost::json::object* status, std::string_view type) {
  const auto* conds = FindArr(status, "conditions");
  if (!conds) return false;
  for (const auto& c : *conds) {
    const auto* co = c.if_object();
    if (co && Str(*co, "type") == type && Str(*co, "status") == "True") return true;
  }
  return false;
}

struct PodSummary {
  int ready = 0;
  int total = 0;
  std::string reason;
  int64_t restarts = 0;
  std::optional<TimePoint> last_restart;
};

PodSummary Summarize(const boost::json::object& pod) {
  PodSummary out;
  const auto* spec = FindObj(pod, "spec");
  const auto* status = FindObj(pod, "status");
  const auto* meta = Meta(pod);

  const auto* containers = FindArr(spec, "containers");
  const auto* init_containers = FindArr(spec, "initContainers");
  out.total = containers ? static_cast<int>(containers->size()) : 0;

  // Init containers with restartPolicy Always are sidecars; they count toward READY's total.
  std::map<std::string, bool> sidecar;
  size_t n_init = 0;
  if (init_containers) {
    n_init = init_containers->size();
    for (const auto& c : *init_containers) {
      const auto* co = c.if_object();
      bool is_sidecar = Str(co, "restartPolicy") == "Always";
      sidecar[Str(co, "name")] = is_sidecar;
      if (is_sidecar) ++out.total;
    }
  }

  const std::string phase = Str(status, "phase");
  out.reason = phase;
  if (!Str(status, "reason").empty()) out.reason = Str(status, "reason");

  if (const auto* conds = FindArr(status, "conditions")) {
    for (const auto& c : *conds) {
      const auto* co = c.if_object();
      if (co && Str(*co, "type") == "PodScheduled" && Str(*co, "reason") == "SchedulingGated") {
        out.reason = "SchedulingGated";
      }
    }
  }

  int64_t sidecar_restarts = 0;
  std::optional<TimePoint> sidecar_last_restart;
  bool initializing = false;
  if (const auto* ics = FindArr(status, "initContainerStatuses")) {
    for (size_t i = 0; i < ics->size(); ++i) {
      const auto* cs = (*ics)[i].if_object();
      if (!cs) continue;
      const int64_t rc = IntOr(cs, "restartCount", 0);
      out.restarts += rc;
      RaiseLastRestart(cs, &out.last_restart);
      auto sc = sidecar.find(Str(*cs, "name"));
      const bool is_sidecar = sc != sidecar.end() && sc->second;
      if (is_sidecar) {
        sidecar_restarts += rc;
        RaiseLastRestart(cs, &sidecar_last_restart);
      }
      const auto* state = FindObj(*cs, "state");
      const auto* terminated = FindObj(state, "terminated");
      const auto* waiting = FindObj(state, "waiting");
      if (terminated && IntOr(terminated, "exitCode", 0) == 0) continue;
      if (is_sidecar && Bool(cs, "started").value_or(false)) {
        if (Bool(cs, "ready").value_or(false)) ++out.ready;
        continue;
      }
      if (terminated) {
        const std::string r = Str(terminated, "reason");
        if (r.empty()) {
          const int64_t sig = IntOr(terminated, "signal", 0);
          out.reason = sig != 0 ? "Init:Signal:" + std::to_string(sig)
                                : "Init:ExitCode:" + std::to_string(IntOr(terminated, "exitCode", 0));
        } else {
          out.reason = "Init:" + r;
        }
      } else if (waiting && !Str(waiting, "reason").empty() &&
                 Str(waiting, "reason") != "PodInitializing") {
        out.reason = "Init:" + Str(waiting, "reason");
      } else {
        out.reason = "Init:" + std::to_string(i) + "/" + std::to_string(n_init);
      }
      initializing = true;
      break;
    }
  }

  const auto* initialized = FirstCondition(status, "Initialized");
  if (!initializing || (initialized && Str(*initialized, "status") == "True")) {
    out.restarts = sidecar_restarts;
    out.last_restart = sidecar_last_restart;
    bool has_running = false;
    if (const auto* css = FindArr(status, "containerStatuses")) {
      for (size_t k = css->size(); k-- > 0;) {
        const auto* cs = (*css)[k].if_object();
        if (!cs) continue;
        out.restarts += IntOr(cs, "restartCount", 0);
        RaiseLastRestart(cs, &out.last_restart);
        const auto* state = FindObj(*cs, "state");
        const auto* terminated = FindObj(state, "terminated");
        const auto* waiting = FindObj(state, "waiting");
        if (waiting && !Str(waiting, "reason").empty()) {
          out.reason = Str(waiting, "reason");
        } else if (terminated && !Str(terminated, "reason").empty()) {
          out.reason = Str(terminated, "reason");
        } else if (terminated) {
          const int64_t sig = IntOr(terminated, "signal", 0);
          out.reason = sig != 0 ? "Signal:" + std::to_string(sig)
                                : "ExitCode:" + std::to_string(IntOr(terminated, "exitCode", 0));
        } else if (Bool(cs, "ready").value_or(false) && FindObj(state, "running")) {
          has_running = true;
          ++out.ready;
        }
      }
    }
    if (out.reason == "Completed" && has_running) {
      out.reason = AnyConditionTrue(status, "Ready") ? "Running" : "NotReady";
    }
  }

  const bool deleting = meta && Find(*meta, "deletionTimestamp") &&
                        !Find(*meta, "deletionTimestamp")->is_null();
  if (deleting && Str(status, "reason") == "NodeLost") {
    out.reason = "Unknown";
  } else if (deleting && !IsTerminalPhase(phase)) {
    out.reason = "Terminating";
  }
  return out;
}

void PodCells(const boost::json::object& pod, TimePoint now, boost::json::array* cells) {
  const PodSummary s = Summarize(pod);
  const auto* spec = FindObj(pod, "spec");
  const auto* status = FindObj(pod, "status");

  std::string restarts = std::to_string(s.restarts);
  if (s.restarts != 0 && s.last_restart) {
    restarts += " (" + HumanSince(*s.last_restart, now) + " ago)";
  }
  cells->emplace_back(Name(pod));
  cells->emplace_back(std::to_string(s.ready) + "/" + std::to_string(s.total));
  cells->emplace_back(s.reason);
  cells->emplace_back(restarts);
  cells->emplace_back(Age(pod, now));

  std::string ip;
  if (const auto* ips = FindArr(status, "podIPs"); ips && !ips->empty()) {
    ip = Str((*ips)[0].if_object(), "ip");
  }
  if (ip.empty()) ip = Str(status, "podIP");
  if (ip.empty()) ip = "<none>";
  std::string node = Str(spec, "nodeName");
  if (node.empty()) node = "<none>";
  std::string nominated = Str(status, "nominatedNodeName");
  if (nominated.empty()) nominated = "<none>";

  std::string gates = "<none>";
  if (const auto* rg = FindArr(spec, "readinessGates"); rg && !rg->empty()) {
    int true_count = 0;
    for (const auto& g : *rg) {
      const auto* c = FirstCondition(status, Str(g.if_object(), "conditionType"));
      if (c && Str(*c, "status") == "True") ++true_count;
    }
    gates = std::to_string(true_count) + "/" + std::to_string(rg->size());
  }
  cells->emplace_back(ip);
  cells->emplace_back(node);
  cells->emplace_back(nominated);
  cells->emplace_back(gates);
}

}  // namespace

void AddPodPrinters(PrinterMap* m) {
  (*m)[{"", "Pod"}] = KindPrinter{
      {
          NameColumn(),
          Col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
          Col("Status", "string", "The aggregate status of the containers in this pod."),
          Col("Restarts", "string",
              "The number of times the containers in this pod have been restarted and when the "
              "last container in this pod has restarted."),
          AgeColumn(),
          Col("IP", "string", "IP address allocated to the pod.", 1),
          Col("Node", "string", "The node the pod is scheduled onto.", 1),
          Col("Nominated Node", "string",
              "The node the scheduler nominated for this pod while it preempts others.", 1),
          Col("Readiness Gates", "string",
              "How many of the pod's readiness gates have a True condition.", 1),
      },
      &PodCells};
}

}  // namespace internal

boost::json::array RowConditionsFor(const api::ResourceInfo& ri, const boost::json::object& obj) {
  boost::json::array out;
  if (!ri.group.empty() || ri.kind != "Pod") return out;
  const std::string phase = internal::Str(internal::FindObj(obj, "status"), "phase");
  if (phase == "Succeeded" || phase == "Failed") {
    boost::json::object c;
    c["type"] = "Completed";
    c["status"] = "True";
    c["reason"] = phase;
    c["message"] = phase == "Succeeded" ? "The pod has completed successfully." : "The pod failed.";
    out.emplace_back(std::move(c));
  }
  return out;
}

}  // namespace kc::printers
