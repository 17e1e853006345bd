// duration.HumanDuration from apimachinery: ~2-3 significant figures for humans.
#include <string>

#include "pkg/printers/printers.h"

namespace kc::printers {

std::string HumanDuration(std::chrono::seconds d) {
  const long long s = d.count();
  auto str = [](long long v) { return std::to_string(v); };
  // Up to one second of clock skew counts as "now".
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return str(s) + "s";
  const long long minutes = s / 60;
  if (minutes < 10) {
    const long long sec = s % 60;
    return sec == 0 ? str(minutes) + "m" : str(minutes) + "m" + str(sec) + "s";
  }
  if (minutes < 60 * 3) return str(minutes) + "m";
  const long long hours = s / 3600;
  if (hours < 8) {
    const long long m = minutes % 60;
    return m == 0 ? str(hours) + "h" : str(hours) + "h" + str(m) + "m";
  }
  if (hours < 48) return str(hours) + "h";
  if (hours < 24 * 8) {
    const long long h = hours % 24;
    return h == 0 ? str(hours / 24) + "d" : str(hours / 24) + "d" + str(h) + "h";
  }
  if (hours < 24 * 365 * 2) return str(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    const long long dy = (hours / 24) % 365;
    return dy == 0 ? str(hours / 24 / 365) + "y" : str(hours / 24 / 365) + "y" + str(dy) + "d";
  }
  return str(hours / 24 / 365) + "y";
}

}  // namespace kc::printers
