#include "pkg/kubelet/go_duration.h"

#include <cstdio>

namespace kc::kubelet {

std::string GoDuration(std::chrono::milliseconds d) {
  long long ms = d.count();
  if (ms == 0) return "0s";
  std::string sign = ms < 0 ? "-" : "";
  if (ms < 0) ms = -ms;
  if (ms < 1000) return sign + std::to_string(ms) + "ms";
  long long h = ms / 3600000;
  long long m = (ms / 60000) % 60;
  long long s = (ms / 1000) % 60;
  long long frac = ms % 1000;
  std::string secs = std::to_string(s);
  if (frac) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), ".%03lld", frac);
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    secs += f;
  }
  std::string out = sign;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  return out + secs + "s";
}

}  // namespace kc::kubelet
