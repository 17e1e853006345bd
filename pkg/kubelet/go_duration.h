// Go's time.Duration.String() for whole seconds and milliseconds ("10s", "1m20s", "5m0s",
// "500ms"), used in messages that upstream formats with %s / %v of a Duration.
//
// Thread-safety: pure function.
#pragma once

#include <chrono>
#include <string>

namespace kc::kubelet {

std::string GoDuration(std::chrono::milliseconds d);

}  // namespace kc::kubelet
