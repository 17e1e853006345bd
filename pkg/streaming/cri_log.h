// The CRI container log format and a reader that serves pods/log from it.
//
// containerd writes one record per line: `<RFC3339Nano timestamp> <stdout|stderr> <P|F> <text>`.
// A long or unterminated line is cut into `P` (partial) records, closed by an `F` record; the
// newline is not stored. CriLogReader turns the records back into the container's output with
// the pods/log options applied, as the kubelet does:
//   - tailLines counts logical lines (a run of P records plus its F record is one line);
//   - sinceTime/sinceSeconds drop lines whose first record is older than the bound;
//   - timestamps prefixes each line with its first record's time (RFC3339Nano, UTC) and a space;
//   - limitBytes stops after that many output bytes (the last write is cut);
//   - follow keeps reading as the file grows, follows rotation (a new file at the same path),
//     and ends when the container no longer runs and the file has no more data.
// Malformed records are skipped.
//
// Thread-safety: a CriLogReader is used by one thread; Run blocks that thread. The Cancellation
// may be triggered from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pkg/api/status.h"
#include "pkg/streaming/cancellation.h"

namespace kc::streaming {

enum class LogStream { kStdout, kStderr };

struct CriLogRecord {
  int64_t time_nanos = 0;  // Unix nanoseconds
  LogStream stream = LogStream::kStdout;
  bool partial = false;      // tag P
  std::string_view content;  // without the newline
};

// Parses one line (without its trailing '\n'). The content views into `line`.
api::Result<CriLogRecord> ParseCriLogLine(std::string_view line);

struct LogReadOptions {
  bool follow = false;
  std::optional<int64_t> tail_lines;
  std::optional<int64_t> since_nanos;  // Unix nanoseconds; older lines are skipped
  bool timestamps = false;
  std::optional<int64_t> limit_bytes;
  // Follow mode: how often to look for new data, and how often to ask whether the container
  // still runs while the file is idle.
  std::chrono::milliseconds poll_interval{100};
  std::chrono::milliseconds running_check_interval{1000};
};

// Receives output. Returns false when the consumer is gone (stop reading).
using LogSink = std::function<bool(std::string_view)>;
// Follow mode: whether the container still runs (may block briefly, e.g. a CRI call).
using RunningCheck = std::function<bool()>;

class CriLogReader {
 public:
  // Opens the log file; NotFound if it does not exist.
  static api::Result<std::unique_ptr<CriLogReader>> Open(const std::string& path);
  ~CriLogReader();
  CriLogReader(const CriLogReader&) = delete;
  CriLogReader& operator=(const CriLogReader&) = delete;

  // Streams the log to `sink` per `opts` until done, cancelled, the sink refuses, or the file
  // can no longer be read (error status). `running` may be empty (treated as "not running").
  api::Status Run(const LogReadOptions& opts, const LogSink& sink, const RunningCheck& running,
                  const Cancellation& cancel);

 private:
  CriLogReader(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  api::Result<int64_t> TailStart(int64_t lines);

  std::string path_;
  int fd_;
};

}  // namespace kc::streaming
