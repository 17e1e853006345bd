#include "pkg/streaming/websocket_channel.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace kc::streaming {

namespace json = boost::json;

std::string EncodeChannelMessage(uint8_t channel, std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 1);
  out.push_back(static_cast<char>(channel));
  out.append(payload);
  return out;
}

api::Result<ChannelMessage> DecodeChannelMessage(std::string_view message) {
  if (message.empty()) return api::Status::BadRequest("empty channel message");
  ChannelMessage m;
  m.channel = static_cast<uint8_t>(message[0]);
  m.payload = message.substr(1);
  return m;
}

std::string EncodeCloseSignal(uint8_t channel) {
  return std::string{static_cast<char>(kChannelClose), static_cast<char>(channel)};
}

api::Result<uint8_t> DecodeCloseSignal(std::string_view payload) {
  if (payload.size() != 1) return api::Status::BadRequest("close signal must name one channel");
  return static_cast<uint8_t>(payload[0]);
}

std::string EncodeResize(TerminalSize size) {
  return "{\"Width\":" + std::to_string(size.width) + ",\"Height\":" + std::to_string(size.height) +
         "}";
}

api::Result<TerminalSize> DecodeResize(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return api::Status::BadRequest("resize message is not a JSON object");
  TerminalSize size;
  for (auto [key, field] : {std::pair{"Width", &size.width}, std::pair{"Height", &size.height}}) {
    const json::value* f = v.get_object().if_contains(key);
    if (!f) continue;  // a missing field is zero, as Go's decoder leaves it
    if (!f->is_number()) return api::Status::BadRequest(std::string("resize ") + key + " is not a number");
    boost::system::error_code nec;
    auto n = f->to_number<int64_t>(nec);
    if (nec || n < 0 || n > 65535) {
      return api::Status::BadRequest(std::string("resize ") + key + " out of range");
    }
    *field = static_cast<uint16_t>(n);
  }
  return size;
}

std::string SuccessStatusJson() { return R"({"metadata":{},"status":"Success"})"; }

std::string FailureStatusJson(const api::Status& status) {
  json::object o;
  o["metadata"] = json::object();
  o["status"] = "Failure";
  o["message"] = status.message();
  o["reason"] = api::Status::ReasonString(status.reason());
  o["code"] = status.http_code();
  return json::serialize(o);
}

std::vector<std::string> SplitHeaderList(std::string_view value) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view tok = value.substr(pos, comma - pos);
    while (!tok.empty() && (tok.front() == ' ' || tok.front() == '\t')) tok.remove_prefix(1);
    while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\t')) tok.remove_suffix(1);
    if (!tok.empty()) out.emplace_back(tok);
    pos = comma + 1;
  }
  return out;
}

}  // namespace kc::streaming
