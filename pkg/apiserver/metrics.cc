#include "pkg/apiserver/metrics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace kc::apiserver {

void Metrics::RecordRequest(const std::string& verb, const std::string& resource, int code,
                            double seconds) {
  std::lock_guard<std::mutex> l(mu_);
  auto& e = requests_[{verb, resource, code}];
  e.first++;
  e.second += seconds;
}

namespace {
// Resident set size and CPU seconds of this process from /proc.
void ProcessStats(int64_t* rss_bytes, double* cpu_seconds) {
  *rss_bytes = 0;
  *cpu_seconds = 0;
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_rss = 0;
  if (statm >> pages_total >> pages_rss) *rss_bytes = pages_rss * sysconf(_SC_PAGESIZE);
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (std::getline(stat, line)) {
    auto rp = line.rfind(')');
    std::istringstream rest(line.substr(rp + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    *cpu_seconds = static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
  }
}
}  // namespace

std::string Metrics::Render(store::Backend* backend) {
  std::string out;
  out += "# HELP apiserver_request_total Counter of apiserver requests by verb, resource and "
         "HTTP code.\n# TYPE apiserver_request_total counter\n";
  std::string dur =
      "# HELP apiserver_request_duration_seconds_sum Total time spent serving requests.\n"
      "# TYPE apiserver_request_duration_seconds_sum counter\n";
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [k, v] : requests_) {
      const auto& [verb, resource, code] = k;
      out += fmt::format("apiserver_request_total{{verb=\"{}\",resource=\"{}\",code=\"{}\"}} {}\n",
                         verb, resource, code, v.first);
      dur += fmt::format(
          "apiserver_request_duration_seconds_sum{{verb=\"{}\",resource=\"{}\",code=\"{}\"}} {:.6f}\n",
          verb, resource, code, v.second);
    }
  }
  out += dur;
  out += fmt::format(
      "# HELP apiserver_registered_watchers Number of open watch streams.\n"
      "# TYPE apiserver_registered_watchers gauge\napiserver_registered_watchers {}\n",
      open_watches_.load());
  if (backend) {
    auto st = backend->GetStats();
    out += fmt::format(
        "# HELP kcluster_store_db_size_bytes Size of the SQLite database and WAL.\n"
        "# TYPE kcluster_store_db_size_bytes gauge\nkcluster_store_db_size_bytes {}\n"
        "# HELP kcluster_store_rows Rows in the revision log.\n"
        "# TYPE kcluster_store_rows gauge\nkcluster_store_rows {}\n"
        "# HELP kcluster_store_current_revision Newest committed revision.\n"
        "# TYPE kcluster_store_current_revision gauge\nkcluster_store_current_revision {}\n",
        st.db_size_bytes, st.rows, backend->CurrentRevision());
  }
  int64_t rss = 0;
  double cpu = 0;
  ProcessStats(&rss, &cpu);
  out += fmt::format(
      "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
      "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {}\n"
      "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
      "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total {:.2f}\n",
      rss, cpu);
  return out;
}

}  // namespace kc::apiserver
