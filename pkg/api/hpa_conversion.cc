// HorizontalPodAutoscaler autoscaling/v1 <-> autoscaling/v2 conversion (see hpa_conversion.h).
// Rules and annotation shapes follow upstream pkg/apis/autoscaling/v1/conversion.go, the
// k8s.io/api/autoscaling/v1 alpha-annotation types and pkg/apis/autoscaling/annotations.go.
#include "pkg/api/hpa_conversion.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pkg/api/validation_field.h"

namespace kc::api {
namespace {

namespace json = boost::json;
using validation::AsInt;
using validation::GetObj;
using validation::GetStr;
using validation::MutObj;

constexpr int64_t kDefaultCpuUtilization = 80;  // autoscaling.DefaultCPUUtilization

constexpr std::string_view kRoundTripAnnotations[] = {
    kHpaMetricsAnnotation, kHpaCurrentMetricsAnnotation, kHpaConditionsAnnotation,
    kHpaBehaviorAnnotation};

std::optional<int64_t> AsInt32(const json::value& v) {
  std::optional<int64_t> i = AsInt(v);
  if (!i || *i < INT32_MIN || *i > INT32_MAX) return std::nullopt;
  return i;
}

// The value at key unless absent or null.
const json::value* Present(const json::object* o, std::string_view key) {
  if (o == nullptr) return nullptr;
  const json::value* v = o->if_contains(key);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

void CopyIf(json::object& out, std::string_view out_key, const json::object* in,
            std::string_view in_key) {
  if (const json::value* v = Present(in, in_key)) out[out_key] = *v;
}

void SetIfNonEmpty(json::object& out, std::string_view key, std::string_view s) {
  if (!s.empty()) out[key] = s;
}

json::object CpuUtilizationTarget(int64_t percent) {
  json::object target;
  target["type"] = "Utilization";
  target["averageUtilization"] = percent;
  json::object resource;
  resource["name"] = "cpu";
  resource["target"] = std::move(target);
  json::object metric;
  metric["type"] = "Resource";
  metric["resource"] = std::move(resource);
  return metric;
}

// The averageUtilization of `field` ("target" or "current") when m is a Resource cpu metric
// that has one.
std::optional<int64_t> CpuUtilization(const json::value& m, std::string_view field) {
  const json::object* metric = m.if_object();
  if (metric == nullptr || GetStr(metric, "type") != "Resource") return std::nullopt;
  const json::object* resource = GetObj(metric, "resource");
  if (GetStr(resource, "name") != "cpu") return std::nullopt;
  const json::value* u = Present(GetObj(resource, field), "averageUtilization");
  return u != nullptr ? AsInt32(*u) : std::nullopt;
}

// ---- v2 -> v1 alpha-annotation shapes (tolerant: the input is stored, validated v2) ----

// A zero resource.Quantity, which Go marshals for the non-pointer quantity fields of v1.
json::value QuantityOrZero(const json::object* o, std::string_view key) {
  const json::value* v = Present(o, key);
  return v != nullptr ? *v : json::value("0");
}

json::object V1Ref(const json::object* ref) {
  json::object out;
  out["kind"] = GetStr(ref, "kind");
  out["name"] = GetStr(ref, "name");
  SetIfNonEmpty(out, "apiVersion", GetStr(ref, "apiVersion"));
  return out;
}

// The v1 object/pods/resource/containerResource/external member for one v2 metric source, of a
// MetricSpec (spec = true: reads "target") or a MetricStatus (reads "current").
json::object V1Source(std::string_view type, const json::object* s, bool spec) {
  const json::object* metric = GetObj(s, "metric");
  const json::object* val = GetObj(s, spec ? "target" : "current");
  json::object o;
  if (type == "object") {
    o["target"] = V1Ref(GetObj(s, "describedObject"));
    o["metricName"] = GetStr(metric, "name");
    o[spec ? "targetValue" : "currentValue"] = QuantityOrZero(val, "value");
    CopyIf(o, "selector", metric, "selector");
    CopyIf(o, "averageValue", val, "averageValue");
  } else if (type == "pods") {
    o["metricName"] = GetStr(metric, "name");
    o[spec ? "targetAverageValue" : "currentAverageValue"] = QuantityOrZero(val, "averageValue");
    CopyIf(o, "selector", metric, "selector");
  } else if (type == "resource" || type == "containerResource") {
    o["name"] = GetStr(s, "name");
    if (spec) {
      CopyIf(o, "targetAverageUtilization", val, "averageUtilization");
      CopyIf(o, "targetAverageValue", val, "averageValue");
    } else {
      CopyIf(o, "currentAverageUtilization", val, "averageUtilization");
      o["currentAverageValue"] = QuantityOrZero(val, "averageValue");
    }
    if (type == "containerResource") o["container"] = GetStr(s, "container");
  } else {  // external
    o["metricName"] = GetStr(metric, "name");
    CopyIf(o, "metricSelector", metric, "selector");
    if (spec) {
      CopyIf(o, "targetValue", val, "value");
      CopyIf(o, "targetAverageValue", val, "averageValue");
    } else {
      o["currentValue"] = QuantityOrZero(val, "value");
      CopyIf(o, "currentAverageValue", val, "averageValue");
    }
  }
  return o;
}

constexpr std::string_view kSourceKeys[] = {"object", "pods", "resource", "containerResource",
                                            "external"};

// v2 MetricSpec (spec = true) or MetricStatus -> v1 MetricSpec / MetricStatus.
json::value V1Metric(const json::value& in, bool spec) {
  const json::object* m = in.if_object();
  if (m == nullptr) return in;
  json::object out;
  out["type"] = GetStr(m, "type");
  for (std::string_view key : kSourceKeys) {
    if (const json::object* s = GetObj(m, key)) out[key] = V1Source(key, s, spec);
  }
  return out;
}

json::value V1Condition(const json::value& in) {
  const json::object* c = in.if_object();
  if (c == nullptr) return in;
  json::object out;
  out["type"] = GetStr(c, "type");
  out["status"] = GetStr(c, "status");
  const json::value* t = Present(c, "lastTransitionTime");
  out["lastTransitionTime"] = t != nullptr ? *t : json::value(nullptr);
  SetIfNonEmpty(out, "reason", GetStr(c, "reason"));
  SetIfNonEmpty(out, "message", GetStr(c, "message"));
  CopyIf(out, "observedGeneration", c, "observedGeneration");
  return out;
}

// One HPAScalingRules as upstream's internal Go struct (no json tags) marshals it.
json::value GoScalingRules(const json::value* in) {
  if (in == nullptr || in->is_null()) return nullptr;
  const json::object* r = in->if_object();
  if (r == nullptr) return *in;
  json::object out;
  const json::value* window = Present(r, "stabilizationWindowSeconds");
  out["StabilizationWindowSeconds"] = window != nullptr ? *window : json::value(nullptr);
  const json::value* select = Present(r, "selectPolicy");
  out["SelectPolicy"] = select != nullptr ? *select : json::value(nullptr);
  const json::value* policies = Present(r, "policies");
  if (policies != nullptr && policies->is_array()) {
    json::array list;
    for (const json::value& pv : policies->get_array()) {
      const json::object* p = pv.if_object();
      if (p == nullptr) {
        list.push_back(pv);
        continue;
      }
      json::object policy;
      policy["Type"] = GetStr(p, "type");
      const json::value* value = Present(p, "value");
      policy["Value"] = value != nullptr ? *value : json::value(0);
      const json::value* period = Present(p, "periodSeconds");
      policy["PeriodSeconds"] = period != nullptr ? *period : json::value(0);
      list.push_back(std::move(policy));
    }
    out["Policies"] = std::move(list);
  } else {
    out["Policies"] = policies != nullptr ? *policies : json::value(nullptr);
  }
  CopyIf(out, "Tolerance", r, "tolerance");  // newer upstream; absent before 1.33
  return out;
}

json::value GoBehavior(const json::value& in) {
  const json::object* b = in.if_object();
  if (b == nullptr) return in;
  json::object out;
  out["ScaleUp"] = GoScalingRules(b->if_contains("scaleUp"));
  out["ScaleDown"] = GoScalingRules(b->if_contains("scaleDown"));
  return out;
}

// ---- v1 alpha-annotation shapes -> v2 (strict, as Go's encoding/json decodes them) ----

bool EqualFoldAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Reads typed fields the way json.Unmarshal fills a Go struct: a key matches exactly or else
// case-insensitively, unknown keys are ignored, null leaves the zero value, and a value of the
// wrong type fails the whole decode (ok() turns false; upstream then ignores the annotation).
class GoDecoder {
 public:
  bool ok() const { return ok_; }
  void Fail() { ok_ = false; }

  const json::value* Field(const json::object& o, std::string_view name) const {
    const json::value* v = o.if_contains(name);
    if (v == nullptr) {
      for (const auto& kv : o) {
        if (EqualFoldAscii(kv.key(), name)) {
          v = &kv.value();
          break;
        }
      }
    }
    return v != nullptr && !v->is_null() ? v : nullptr;
  }
  const json::object* Obj(const json::object& o, std::string_view name) {
    const json::value* v = Field(o, name);
    if (v != nullptr && !v->is_object()) Fail();
    return v != nullptr ? v->if_object() : nullptr;
  }
  const json::array* Arr(const json::object& o, std::string_view name) {
    const json::value* v = Field(o, name);
    if (v != nullptr && !v->is_array()) Fail();
    return v != nullptr ? v->if_array() : nullptr;
  }
  std::string Str(const json::object& o, std::string_view name) {
    const json::value* v = Field(o, name);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      Fail();
      return {};
    }
    return std::string(v->get_string());
  }
  std::optional<int64_t> Int(const json::object& o, std::string_view name, bool int32) {
    const json::value* v = Field(o, name);
    if (v == nullptr) return std::nullopt;
    std::optional<int64_t> i = int32 ? AsInt32(*v) : AsInt(*v);
    if (!i) Fail();
    return i;
  }
  // A resource.Quantity (string or number), kept as written.
  std::optional<json::value> Quantity(const json::object& o, std::string_view name) {
    const json::value* v = Field(o, name);
    if (v == nullptr) return std::nullopt;
    if (!validation::ParseQuantity(*v)) {
      Fail();
      return std::nullopt;
    }
    return *v;
  }
  // Each element of a JSON array as an object (null elements decode to the zero value).
  template <typename Fn>
  json::array Each(const json::value& list, Fn&& fn) {
    json::array out;
    if (list.is_null()) return out;
    if (!list.is_array()) {
      Fail();
      return out;
    }
    static const json::object kEmpty;
    for (const json::value& item : list.get_array()) {
      if (!item.is_object() && !item.is_null()) {
        Fail();
        return out;
      }
      out.push_back(fn(item.is_object() ? item.get_object() : kEmpty));
    }
    return out;
  }

 private:
  bool ok_ = true;
};

json::object V2Ref(GoDecoder& d, const json::object* ref) {
  json::object out;
  out["kind"] = ref != nullptr ? d.Str(*ref, "kind") : std::string();
  out["name"] = ref != nullptr ? d.Str(*ref, "name") : std::string();
  if (ref != nullptr) SetIfNonEmpty(out, "apiVersion", d.Str(*ref, "apiVersion"));
  return out;
}

json::object V2Identifier(GoDecoder& d, const json::object& s, std::string_view selector_key) {
  json::object out;
  out["name"] = d.Str(s, "metricName");
  if (const json::object* sel = d.Obj(s, selector_key)) out["selector"] = *sel;
  return out;
}

void SetOpt(json::object& out, std::string_view key, std::optional<json::value> v) {
  if (v) out[key] = std::move(*v);
}

// v1 MetricSpec source -> v2 metric source (Convert_v1_*MetricSource_To_autoscaling_*).
json::object V2SpecSource(GoDecoder& d, std::string_view type, const json::object& s) {
  json::object out, target;
  if (type == "object") {
    out["describedObject"] = V2Ref(d, d.Obj(s, "target"));
    std::optional<json::value> average = d.Quantity(s, "averageValue");
    target["type"] = average ? "AverageValue" : "Value";
    target["value"] = d.Quantity(s, "targetValue").value_or("0");
    SetOpt(target, "averageValue", std::move(average));
    out["target"] = std::move(target);
    out["metric"] = V2Identifier(d, s, "selector");
  } else if (type == "pods") {
    out["metric"] = V2Identifier(d, s, "selector");
    target["type"] = "AverageValue";
    target["averageValue"] = d.Quantity(s, "targetAverageValue").value_or("0");
    out["target"] = std::move(target);
  } else if (type == "resource" || type == "containerResource") {
    out["name"] = d.Str(s, "name");
    std::optional<int64_t> utilization = d.Int(s, "targetAverageUtilization", true);
    target["type"] = utilization ? "Utilization" : "AverageValue";
    SetOpt(target, "averageValue", d.Quantity(s, "targetAverageValue"));
    if (utilization) target["averageUtilization"] = *utilization;
    out["target"] = std::move(target);
    if (type == "containerResource") out["container"] = d.Str(s, "container");
  } else {  // external
    out["metric"] = V2Identifier(d, s, "metricSelector");
    std::optional<json::value> value = d.Quantity(s, "targetValue");
    target["type"] = value ? "Value" : "AverageValue";
    SetOpt(target, "value", std::move(value));
    SetOpt(target, "averageValue", d.Quantity(s, "targetAverageValue"));
    out["target"] = std::move(target);
  }
  return out;
}

// v1 MetricStatus source -> v2 (Convert_v1_*MetricStatus_To_autoscaling_*).
json::object V2StatusSource(GoDecoder& d, std::string_view type, const json::object& s) {
  json::object out, current;
  if (type == "object") {
    out["metric"] = V2Identifier(d, s, "selector");
    current["value"] = d.Quantity(s, "currentValue").value_or("0");
    SetOpt(current, "averageValue", d.Quantity(s, "averageValue"));
    out["current"] = std::move(current);
    out["describedObject"] = V2Ref(d, d.Obj(s, "target"));
  } else if (type == "pods") {
    out["metric"] = V2Identifier(d, s, "selector");
    current["averageValue"] = d.Quantity(s, "currentAverageValue").value_or("0");
    out["current"] = std::move(current);
  } else if (type == "resource" || type == "containerResource") {
    out["name"] = d.Str(s, "name");
    current["averageValue"] = d.Quantity(s, "currentAverageValue").value_or("0");
    if (std::optional<int64_t> u = d.Int(s, "currentAverageUtilization", true)) {
      current["averageUtilization"] = *u;
    }
    out["current"] = std::move(current);
    if (type == "containerResource") out["container"] = d.Str(s, "container");
  } else {  // external
    out["metric"] = V2Identifier(d, s, "metricSelector");
    current["value"] = d.Quantity(s, "currentValue").value_or("0");
    SetOpt(current, "averageValue", d.Quantity(s, "currentAverageValue"));
    out["current"] = std::move(current);
  }
  return out;
}

json::object V2Metric(GoDecoder& d, const json::object& m, bool spec) {
  json::object out;
  out["type"] = d.Str(m, "type");
  for (std::string_view key : kSourceKeys) {
    if (const json::object* s = d.Obj(m, key)) {
      out[key] = spec ? V2SpecSource(d, key, *s) : V2StatusSource(d, key, *s);
    }
  }
  return out;
}

json::object V2Condition(GoDecoder& d, const json::object& c) {
  json::object out;
  out["type"] = d.Str(c, "type");
  out["status"] = d.Str(c, "status");
  if (const json::value* t = d.Field(c, "lastTransitionTime")) {
    if (t->is_string()) {
      out["lastTransitionTime"] = *t;
    } else {
      d.Fail();
    }
  }
  SetIfNonEmpty(out, "reason", d.Str(c, "reason"));
  SetIfNonEmpty(out, "message", d.Str(c, "message"));
  if (std::optional<int64_t> g = d.Int(c, "observedGeneration", false)) {
    out["observedGeneration"] = *g;
  }
  return out;
}

// One internal HPAScalingRules -> v2 HPAScalingRules (nil members omitted).
json::object V2ScalingRules(GoDecoder& d, const json::object& r) {
  json::object out;
  if (std::optional<int64_t> w = d.Int(r, "StabilizationWindowSeconds", true)) {
    out["stabilizationWindowSeconds"] = *w;
  }
  if (d.Field(r, "SelectPolicy") != nullptr) out["selectPolicy"] = d.Str(r, "SelectPolicy");
  if (const json::value* p = d.Field(r, "Policies")) {
    json::array policies = d.Each(*p, [&](const json::object& po) {
      json::object policy;
      policy["type"] = d.Str(po, "Type");
      policy["value"] = d.Int(po, "Value", true).value_or(0);
      policy["periodSeconds"] = d.Int(po, "PeriodSeconds", true).value_or(0);
      return policy;
    });
    if (!policies.empty()) out["policies"] = std::move(policies);  // v2 omits an empty list
  }
  SetOpt(out, "tolerance", d.Quantity(r, "Tolerance"));
  return out;
}

// The parsed annotation value, or nullopt when absent, not a string or not JSON.
std::optional<json::value> ParseAnnotation(const json::object* annotations, std::string_view key) {
  const json::value* v = annotations != nullptr ? annotations->if_contains(key) : nullptr;
  if (v == nullptr || !v->is_string()) return std::nullopt;
  boost::system::error_code ec;
  json::value parsed = json::parse(v->get_string(), ec);
  if (ec) return std::nullopt;
  return parsed;
}

// The metric/condition list of an annotation converted to v2, or nullopt when it is unusable.
template <typename Fn>
std::optional<json::array> DecodeList(const json::object* annotations, std::string_view key,
                                      Fn&& convert) {
  std::optional<json::value> parsed = ParseAnnotation(annotations, key);
  if (!parsed) return std::nullopt;
  GoDecoder d;
  json::array out = d.Each(*parsed, [&](const json::object& item) { return convert(d, item); });
  if (!d.ok()) return std::nullopt;
  return out;
}

std::optional<json::object> DecodeBehavior(const json::object* annotations) {
  std::optional<json::value> parsed = ParseAnnotation(annotations, kHpaBehaviorAnnotation);
  if (!parsed || parsed->is_null()) return std::nullopt;
  if (!parsed->is_object()) return std::nullopt;
  GoDecoder d;
  json::object behavior;
  if (const json::object* up = d.Obj(parsed->get_object(), "ScaleUp")) {
    behavior["scaleUp"] = V2ScalingRules(d, *up);
  }
  if (const json::object* down = d.Obj(parsed->get_object(), "ScaleDown")) {
    behavior["scaleDown"] = V2ScalingRules(d, *down);
  }
  // Upstream keeps the behavior only when it decoded and is not the zero value.
  if (!d.ok() || behavior.empty()) return std::nullopt;
  return behavior;
}

// Go's name for the JSON value in "json: cannot unmarshal <kind> into Go struct field ...".
std::string GoJsonKind(const json::value& v) {
  if (v.is_string()) return "string";
  if (v.is_bool()) return "bool";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  if (v.is_double()) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof(buf), v.get_double());
    return "number " + std::string(buf, r.ptr);
  }
  return "number " + json::serialize(v);
}

Status V1DecodeError(std::string_view go_field, const json::value& v) {
  return Status::BadRequest(
      "HorizontalPodAutoscaler in version \"v1\" cannot be handled as a HorizontalPodAutoscaler: "
      "json: cannot unmarshal " +
      GoJsonKind(v) + " into Go struct field " + std::string(go_field) + " of type int32");
}

json::object* Annotations(json::object& obj) {
  json::object* meta = MutObj(obj, "metadata");
  return meta != nullptr ? MutObj(*meta, "annotations") : nullptr;
}

}  // namespace

void DropHpaRoundTripAnnotations(json::object& obj) {
  json::object* meta = MutObj(obj, "metadata");
  json::object* annotations = meta != nullptr ? MutObj(*meta, "annotations") : nullptr;
  if (annotations == nullptr) return;
  size_t removed = 0;
  for (std::string_view key : kRoundTripAnnotations) removed += annotations->erase(key);
  if (removed > 0 && annotations->empty()) meta->erase("annotations");
}

Status ConvertHpaV1ToV2(json::object& obj) {
  std::optional<int64_t> target, current;
  {
    const json::object* spec = MutObj(obj, "spec");
    if (const json::value* v = Present(spec, "targetCPUUtilizationPercentage")) {
      target = AsInt32(*v);
      if (!target) {
        return V1DecodeError("HorizontalPodAutoscalerSpec.spec.targetCPUUtilizationPercentage", *v);
      }
    }
    const json::object* status = MutObj(obj, "status");
    if (const json::value* v = Present(status, "currentCPUUtilizationPercentage")) {
      current = AsInt32(*v);
      if (!current) {
        return V1DecodeError(
            "HorizontalPodAutoscalerStatus.status.currentCPUUtilizationPercentage", *v);
      }
    }
  }

  // The annotations live in metadata's own table, so this pointer survives inserts into obj.
  const json::object* annotations = Annotations(obj);
  // spec: the metrics annotation first, then the CPU target; neither means the default target.
  json::array metrics = DecodeList(annotations, kHpaMetricsAnnotation,
                                   [](GoDecoder& d, const json::object& m) {
                                     return V2Metric(d, m, true);
                                   })
                            .value_or(json::array());
  if (target) metrics.push_back(CpuUtilizationTarget(*target));
  if (metrics.empty()) metrics.push_back(CpuUtilizationTarget(kDefaultCpuUtilization));
  std::optional<json::object> behavior = DecodeBehavior(annotations);
  // status: the CPU utilization, replaced by the fuller current-metrics annotation when usable.
  std::optional<json::array> current_metrics = DecodeList(
      annotations, kHpaCurrentMetricsAnnotation,
      [](GoDecoder& d, const json::object& m) { return V2Metric(d, m, false); });
  std::optional<json::array> conditions = DecodeList(
      annotations, kHpaConditionsAnnotation,
      [](GoDecoder& d, const json::object& c) { return V2Condition(d, c); });

  // Every insert into obj may rehash it (boost::json reserves before it looks a key up), so all
  // of them happen before pointers to its members are taken.
  obj["apiVersion"] = "autoscaling/v2";
  auto absent = [&](std::string_view key) {
    const json::value* v = obj.if_contains(key);
    return v == nullptr || v->is_null();
  };
  if (absent("spec")) obj["spec"] = json::object();
  if (absent("status") && (current || current_metrics || conditions)) {
    obj["status"] = json::object();
  }

  if (json::object* spec = MutObj(obj, "spec")) {
    spec->erase("targetCPUUtilizationPercentage");
    (*spec)["metrics"] = std::move(metrics);
    spec->erase("behavior");
    if (behavior) (*spec)["behavior"] = std::move(*behavior);
  }
  if (json::object* status = MutObj(obj, "status")) {
    status->erase("currentCPUUtilizationPercentage");
    status->erase("currentMetrics");
    status->erase("conditions");
    if (current_metrics) {
      if (!current_metrics->empty()) (*status)["currentMetrics"] = std::move(*current_metrics);
    } else if (current) {
      json::object cur;
      cur["averageUtilization"] = *current;
      json::object resource;
      resource["name"] = "cpu";
      resource["current"] = std::move(cur);
      json::object metric;
      metric["type"] = "Resource";
      metric["resource"] = std::move(resource);
      json::array list;
      list.push_back(std::move(metric));
      (*status)["currentMetrics"] = std::move(list);
    }
    if (conditions && !conditions->empty()) (*status)["conditions"] = std::move(*conditions);
  }

  DropHpaRoundTripAnnotations(obj);
  return Status::Ok();
}

void ConvertHpaV2ToV1(json::object& obj) {
  obj["apiVersion"] = "autoscaling/v1";  // first: an insert into obj may rehash it
  // Only annotations this conversion writes may reach a v1 client.
  DropHpaRoundTripAnnotations(obj);
  std::vector<std::pair<std::string_view, json::value>> add;

  if (json::object* spec = MutObj(obj, "spec")) {
    spec->erase("targetCPUUtilizationPercentage");
    json::value* metrics = spec->if_contains("metrics");
    if (metrics != nullptr && metrics->is_array()) {
      std::optional<int64_t> target;
      json::array other;
      for (const json::value& m : metrics->get_array()) {
        if (std::optional<int64_t> u = CpuUtilization(m, "target")) {
          if (!target) target = u;
          continue;
        }
        other.push_back(V1Metric(m, true));
      }
      if (!other.empty()) add.emplace_back(kHpaMetricsAnnotation, std::move(other));
      spec->erase("metrics");
      if (target) (*spec)["targetCPUUtilizationPercentage"] = *target;
    } else if (metrics != nullptr && metrics->is_null()) {
      spec->erase("metrics");
    }
    if (json::value* behavior = spec->if_contains("behavior")) {
      if (!behavior->is_null()) add.emplace_back(kHpaBehaviorAnnotation, GoBehavior(*behavior));
      spec->erase("behavior");
    }
  }

  if (json::object* status = MutObj(obj, "status")) {
    status->erase("currentCPUUtilizationPercentage");
    json::value* current = status->if_contains("currentMetrics");
    if (current != nullptr && current->is_array()) {
      std::optional<int64_t> cpu;
      json::array all;
      for (const json::value& m : current->get_array()) {
        if (std::optional<int64_t> u = CpuUtilization(m, "current")) cpu = u;  // last one wins
        all.push_back(V1Metric(m, false));
      }
      if (!all.empty()) add.emplace_back(kHpaCurrentMetricsAnnotation, std::move(all));
      status->erase("currentMetrics");
      if (cpu) (*status)["currentCPUUtilizationPercentage"] = *cpu;
    } else if (current != nullptr && current->is_null()) {
      status->erase("currentMetrics");
    }
    json::value* conditions = status->if_contains("conditions");
    if (conditions != nullptr && conditions->is_array()) {
      json::array list;
      for (const json::value& c : conditions->get_array()) list.push_back(V1Condition(c));
      if (!list.empty()) add.emplace_back(kHpaConditionsAnnotation, std::move(list));
      status->erase("conditions");
    } else if (conditions != nullptr && conditions->is_null()) {
      status->erase("conditions");
    }
  }

  if (add.empty()) return;
  // spec and status pointers are dead from here: EnsureObj may insert into obj.
  json::object* meta = validation::EnsureObj(obj, "metadata");
  json::object* annotations = meta != nullptr ? validation::EnsureObj(*meta, "annotations") : nullptr;
  if (annotations == nullptr) return;
  for (auto& [key, value] : add) (*annotations)[key] = json::serialize(value);
}

}  // namespace kc::api
