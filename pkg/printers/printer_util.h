// Helpers shared by the per-kind printers: tolerant JSON field access, RFC3339 time parsing, and
// upstream's common cell renderings (ages, label maps, label selectors, container lists,
// IntOrString, quantities).
//
// Every accessor tolerates missing fields and wrong JSON types by returning the zero value, as a
// Go struct decoded from the same JSON would hold. Thread-safety: pure functions.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/time_util.h"

namespace kc::printers::internal {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// Field access. Find returns nullptr when absent; the typed getters return nullptr/"" /nullopt
// when absent or of another JSON type.
const boost::json::value* Find(const boost::json::object& o, std::string_view key);
const boost::json::object* FindObj(const boost::json::object& o, std::string_view key);
const boost::json::object* FindObj(const boost::json::object* o, std::string_view key);
const boost::json::array* FindArr(const boost::json::object& o, std::string_view key);
const boost::json::array* FindArr(const boost::json::object* o, std::string_view key);
// Walks nested objects: Path(obj, {"spec", "template", "spec"}).
const boost::json::object* Path(const boost::json::object& o,
                                std::initializer_list<std::string_view> keys);
std::string Str(const boost::json::object& o, std::string_view key);
std::string Str(const boost::json::object* o, std::string_view key);
std::optional<int64_t> Int(const boost::json::object& o, std::string_view key);
std::optional<int64_t> Int(const boost::json::object* o, std::string_view key);
int64_t IntOr(const boost::json::object* o, std::string_view key, int64_t dflt);
std::optional<bool> Bool(const boost::json::object* o, std::string_view key);
size_t Size(const boost::json::object* o, std::string_view key);  // array or object size
std::optional<int64_t> AsInt(const boost::json::value& v);

// metadata.* shortcuts.
const boost::json::object* Meta(const boost::json::object& obj);
std::string Name(const boost::json::object& obj);

// RFC3339 parsing/formatting shared with the rest of kcluster (pkg/api/time_util.h).
using api::FormatTime;
using api::ParseTime;

// translateTimestampSince: "<unknown>" for an empty or unparsable timestamp, else HumanDuration.
std::string AgeSince(std::string_view timestamp, TimePoint now);
// Age of metadata.creationTimestamp.
std::string Age(const boost::json::object& obj, TimePoint now);
std::string HumanSince(TimePoint t, TimePoint now);

// labels.FormatLabels: sorted "k=v,k2=v2", or "<none>" for an empty/absent map.
std::string FormatLabels(const boost::json::object* labels);

// A metav1.LabelSelector rendered through labels.Selector.String(): requirements sorted by key,
// "k=v", "k in (a,b)", "k notin (a)", "k", "!k". `ok` is false for an invalid selector.
// An absent or empty selector renders "".
std::string SelectorString(const boost::json::object* selector, bool* ok);
// metav1.FormatLabelSelector: like SelectorString but "<none>" when empty, "<error>" if invalid.
std::string FormatLabelSelector(const boost::json::object* selector);

// Names and images of pod_spec.containers, each joined with ",".
void ContainersAndImages(const boost::json::object* pod_spec, std::string* names,
                         std::string* images);

// IntOrString value as text ("1", "50%"); "" when absent.
std::string IntOrString(const boost::json::value* v);

// A resource.Quantity in canonical form ("1Gi", "500m", "1k"); unparsable input is returned
// unchanged, an absent value gives "0".
std::string Quantity(const boost::json::value* v);

std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string ToLower(std::string_view s);

}  // namespace kc::printers::internal
