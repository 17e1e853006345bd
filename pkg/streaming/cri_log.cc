#include "pkg/streaming/cri_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "pkg/streaming/rfc3339_nano.h"

namespace kc::streaming {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
// A record longer than this without a newline is not CRI output; it is skipped.
constexpr size_t kMaxLine = 1024 * 1024;

std::string Errno(const std::string& what, const std::string& path) {
  return what + " \"" + path + "\": " + std::strerror(errno);
}

// Splits a growing byte buffer into '\n'-terminated lines, bounding the size of an unterminated
// line. Calls fn(line, offset_of_line) for each complete line.
class LineSplitter {
 public:
  explicit LineSplitter(int64_t start_offset) : offset_(start_offset) {}

  template <class Fn>
  bool Feed(std::string_view data, Fn&& fn) {
    size_t pos = 0;
    while (pos < data.size()) {
      size_t nl = data.find('\n', pos);
      if (nl == std::string_view::npos) {
        if (!skipping_) {
          pending_.append(data.substr(pos));
          if (pending_.size() > kMaxLine) {
            skipping_ = true;
            pending_.clear();
          }
        }
        offset_ += static_cast<int64_t>(data.size() - pos);
        return true;
      }
      std::string_view piece = data.substr(pos, nl - pos);
      int64_t piece_len = static_cast<int64_t>(nl + 1 - pos);
      if (skipping_) {
        skipping_ = false;
        line_start_ = offset_ + piece_len;
      } else if (pending_.empty()) {
        if (!fn(piece, line_start_)) return false;
        line_start_ = offset_ + piece_len;
      } else {
        pending_.append(piece);
        std::string line = std::move(pending_);
        pending_.clear();
        if (!fn(std::string_view(line), line_start_)) return false;
        line_start_ = offset_ + piece_len;
      }
      offset_ += piece_len;
      pos = nl + 1;
    }
    return true;
  }
  // The unterminated tail, if any (offset of its start in *line_offset).
  const std::string& pending(int64_t* line_offset) const {
    *line_offset = line_start_;
    return pending_;
  }
  void Reset(int64_t offset) {
    pending_.clear();
    skipping_ = false;
    offset_ = offset;
    line_start_ = offset;
  }

 private:
  std::string pending_;
  bool skipping_ = false;
  int64_t offset_;              // file offset just past the data fed so far
  int64_t line_start_ = offset_;  // file offset where the current (pending) line starts
};

// Applies since/timestamps/limitBytes to records and batches output for the sink.
class LogWriter {
 public:
  LogWriter(const LogReadOptions& opts, const LogSink& sink) : opts_(opts), sink_(sink) {}

  // Returns false once output must stop (limit reached or sink refused).
  bool Write(const CriLogRecord& r) {
    if (stopped_) return false;
    if (at_line_start_) {
      selected_ = !opts_.since_nanos || r.time_nanos >= *opts_.since_nanos;
      if (selected_ && opts_.timestamps) {
        Append(FormatRfc3339Nano(r.time_nanos));
        Append(" ");
      }
    }
    if (selected_) {
      Append(r.content);
      if (!r.partial) Append("\n");
    }
    at_line_start_ = !r.partial;
    return !stopped_;
  }
  bool Flush() {
    if (!buf_.empty()) {
      if (!sink_(buf_)) stopped_ = true;
      buf_.clear();
    }
    return !stopped_;
  }
  bool done() const { return stopped_; }

 private:
  void Append(std::string_view s) {
    if (stopped_) return;
    if (opts_.limit_bytes) {
      int64_t room = *opts_.limit_bytes - written_;
      if (static_cast<int64_t>(s.size()) >= room) {
        s = s.substr(0, static_cast<size_t>(std::max<int64_t>(room, 0)));
        buf_.append(s);
        written_ += static_cast<int64_t>(s.size());
        Flush();
        stopped_ = true;
        return;
      }
    }
    buf_.append(s);
    written_ += static_cast<int64_t>(s.size());
    if (buf_.size() >= kReadChunk) Flush();
  }

  const LogReadOptions& opts_;
  const LogSink& sink_;
  std::string buf_;
  int64_t written_ = 0;
  bool at_line_start_ = true;
  bool selected_ = true;
  bool stopped_ = false;
};

}  // namespace

api::Result<CriLogRecord> ParseCriLogLine(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  size_t s1 = line.find(' ');
  if (s1 == std::string_view::npos) return api::Status::BadRequest("log line has no timestamp");
  auto t = ParseRfc3339Nano(line.substr(0, s1));
  if (!t) return api::Status::BadRequest("invalid timestamp in log line");
  size_t s2 = line.find(' ', s1 + 1);
  if (s2 == std::string_view::npos) return api::Status::BadRequest("log line has no stream");
  std::string_view stream = line.substr(s1 + 1, s2 - s1 - 1);
  CriLogRecord r;
  r.time_nanos = *t;
  if (stream == "stdout") {
    r.stream = LogStream::kStdout;
  } else if (stream == "stderr") {
    r.stream = LogStream::kStderr;
  } else {
    return api::Status::BadRequest("invalid stream in log line");
  }
  // The tag ends at the next space, or at the end of the line for an empty record.
  size_t s3 = line.find(' ', s2 + 1);
  std::string_view tag =
      line.substr(s2 + 1, s3 == std::string_view::npos ? std::string_view::npos : s3 - s2 - 1);
  if (tag == "P") {
    r.partial = true;
  } else if (tag == "F") {
    r.partial = false;
  } else {
    return api::Status::BadRequest("invalid tag in log line");
  }
  r.content = s3 == std::string_view::npos ? std::string_view() : line.substr(s3 + 1);
  return r;
}

api::Result<std::unique_ptr<CriLogReader>> CriLogReader::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return api::Status::NotFound(Errno("failed to open log file", path));
    return api::Status::Internal(Errno("failed to open log file", path));
  }
  return std::unique_ptr<CriLogReader>(new CriLogReader(path, fd));
}

CriLogReader::~CriLogReader() {
  if (fd_ >= 0) ::close(fd_);
}

api::Result<int64_t> CriLogReader::TailStart(int64_t lines) {
  std::deque<int64_t> starts;
  bool at_start = true;
  LineSplitter split(0);
  auto on_line = [&](std::string_view line, int64_t off) {
    auto r = ParseCriLogLine(line);
    if (!r.ok()) return true;
    if (at_start) {
      starts.push_back(off);
      if (static_cast<int64_t>(starts.size()) > lines) starts.pop_front();
    }
    at_start = !r->partial;
    return true;
  };
  std::string buf(kReadChunk, '\0');
  int64_t total = 0;
  for (;;) {
    ssize_t n = ::pread(fd_, buf.data(), buf.size(), total);
    if (n < 0) {
      if (errno == EINTR) continue;
      return api::Status::Internal(Errno("failed to read log file", path_));
    }
    if (n == 0) break;
    total += n;
    split.Feed(std::string_view(buf.data(), static_cast<size_t>(n)), on_line);
  }
  int64_t tail_off = 0;
  if (!split.pending(&tail_off).empty() && at_start && lines > 0) {
    starts.push_back(tail_off);
    if (static_cast<int64_t>(starts.size()) > lines) starts.pop_front();
  }
  if (lines == 0 || starts.empty()) return lines == 0 ? total : int64_t{0};
  return starts.front();
}

api::Status CriLogReader::Run(const LogReadOptions& opts, const LogSink& sink,
                              const RunningCheck& running, const Cancellation& cancel) {
  int64_t offset = 0;
  if (opts.tail_lines) {
    auto start = TailStart(std::max<int64_t>(*opts.tail_lines, 0));
    if (!start.ok()) return start.status();
    offset = *start;
  }
  LogWriter writer(opts, sink);
  LineSplitter split(offset);
  auto on_line = [&](std::string_view line, int64_t) {
    auto r = ParseCriLogLine(line);
    if (!r.ok()) return true;  // skipped, as the kubelet does
    return writer.Write(*r);
  };
  // The unterminated last line of a file that will not grow any more.
  auto finish_pending = [&] {
    int64_t ignored;
    std::string rest = split.pending(&ignored);
    if (!rest.empty()) on_line(rest, 0);
    writer.Flush();
  };

  std::string buf(kReadChunk, '\0');
  auto next_check = std::chrono::steady_clock::now();  // first end of data: ask at once
  bool container_done = false;
  for (;;) {
    if (cancel.cancelled()) return api::Status::Ok();
    ssize_t n = ::pread(fd_, buf.data(), buf.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return api::Status::Internal(Errno("failed to read log file", path_));
    }
    if (n > 0) {
      offset += n;
      if (!split.Feed(std::string_view(buf.data(), static_cast<size_t>(n)), on_line) ||
          !writer.Flush()) {
        return api::Status::Ok();
      }
      continue;
    }
    // End of the data written so far.
    if (!opts.follow || container_done) {
      finish_pending();
      return api::Status::Ok();
    }
    if (!writer.Flush()) return api::Status::Ok();
    struct stat cur {}, at_path {};
    if (::fstat(fd_, &cur) == 0) {
      if (cur.st_size < offset) {  // truncated in place: start over
        offset = 0;
        split.Reset(0);
        continue;
      }
      if (::stat(path_.c_str(), &at_path) == 0 &&
          (at_path.st_ino != cur.st_ino || at_path.st_dev != cur.st_dev)) {
        // Rotated: the old file is drained; continue with the new one from its start.
        int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
          ::close(fd_);
          fd_ = fd;
          offset = 0;
          split.Reset(0);
          continue;
        }
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= next_check) {
      next_check = now + opts.running_check_interval;
      if (!running || !running()) {
        container_done = true;  // read once more, up to the next end of data
        continue;
      }
    }
    if (cancel.WaitFor(opts.poll_interval)) return api::Status::Ok();
  }
}

}  // namespace kc::streaming
