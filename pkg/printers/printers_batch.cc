// Tables for batch/v1: Job (STATUS COMPLETIONS DURATION AGE) and CronJob.
#include <string>

#include "pkg/printers/printer_registry.h"

namespace kc::printers::internal {
namespace {

// hasJobCondition: only the first condition of the type counts.
bool HasJobCondition(const boost::json::object* status, std::string_view type) {
  const auto* conds = FindArr(status, "conditions");
  if (!conds) return false;
  for (const auto& c : *conds) {
    const auto* co = c.if_object();
    if (co && Str(*co, "type") == type) return Str(*co, "status") == "True";
  }
  return false;
}

void JobCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* spec = FindObj(obj, "spec");
  const auto* status = FindObj(obj, "status");
  const auto* meta = Meta(obj);
  const int64_t succeeded = IntOr(status, "succeeded", 0);

  std::string completions;
  if (auto c = Int(spec, "completions")) {
    completions = std::to_string(succeeded) + "/" + std::to_string(*c);
  } else {
    const int64_t parallelism = IntOr(spec, "parallelism", 0);
    completions = parallelism > 1 ? std::to_string(succeeded) + "/1 of " + std::to_string(parallelism)
                                  : std::to_string(succeeded) + "/1";
  }

  std::string duration;
  if (auto start = ParseTime(Str(status, "startTime"))) {
    if (auto done = ParseTime(Str(status, "completionTime"))) {
      duration = HumanSince(*start, *done);
    } else {
      duration = HumanSince(*start, now);
    }
  }

  const bool deleting = meta && Find(*meta, "deletionTimestamp") &&
                        !Find(*meta, "deletionTimestamp")->is_null();
  std::string state;
  if (HasJobCondition(status, "Complete")) {
    state = "Complete";
  } else if (HasJobCondition(status, "Failed")) {
    state = "Failed";
  } else if (deleting) {
    state = "Terminating";
  } else if (HasJobCondition(status, "Suspended")) {
    state = "Suspended";
  } else if (HasJobCondition(status, "FailureTarget")) {
    state = "FailureTarget";
  } else {
    state = "Running";
  }

  cells->emplace_back(Name(obj));
  cells->emplace_back(state);
  cells->emplace_back(completions);
  cells->emplace_back(duration);
  cells->emplace_back(Age(obj, now));
  std::string names, images;
  ContainersAndImages(Path(obj, {"spec", "template", "spec"}), &names, &images);
  cells->emplace_back(names);
  cells->emplace_back(images);
  cells->emplace_back(FormatLabelSelector(FindObj(spec, "selector")));
}

void CronJobCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* spec = FindObj(obj, "spec");
  const auto* status = FindObj(obj, "status");
  std::string tz = "<none>";
  if (const auto* v = spec ? spec->if_contains("timeZone") : nullptr; v && v->is_string()) {
    tz = std::string(v->get_string());
  }
  std::string suspend = "<unset>";
  if (auto s = Bool(spec, "suspend")) suspend = *s ? "True" : "False";
  std::string last = "<none>";
  if (const auto* v = status ? status->if_contains("lastScheduleTime") : nullptr;
      v && v->is_string()) {
    last = AgeSince(v->get_string(), now);
  }
  const auto* job_spec = Path(obj, {"spec", "jobTemplate", "spec"});

  cells->emplace_back(Name(obj));
  cells->emplace_back(Str(spec, "schedule"));
  cells->emplace_back(tz);
  cells->emplace_back(suspend);
  cells->emplace_back(static_cast<int64_t>(Size(status, "active")));
  cells->emplace_back(last);
  cells->emplace_back(Age(obj, now));
  std::string names, images;
  ContainersAndImages(Path(obj, {"spec", "jobTemplate", "spec", "template", "spec"}), &names,
                      &images);
  cells->emplace_back(names);
  cells->emplace_back(images);
  cells->emplace_back(FormatLabelSelector(FindObj(job_spec, "selector")));
}

}  // namespace

void AddBatchPrinters(PrinterMap* m) {
  (*m)[{"batch", "Job"}] = KindPrinter{
      {
          NameColumn(),
          Col("Status", "string", "Status of the job: Running, Complete, Failed, Suspended, ..."),
          Col("Completions", "string", "Succeeded pods out of the desired completions."),
          Col("Duration", "string", "Time the job took to complete, or has been running."),
          AgeColumn(),
          Col("Containers", "string", "Names of each container in the template.", 1),
          Col("Images", "string", "Images referenced by each container in the template.", 1),
          Col("Selector", "string", "Label query over the pods of this job.", 1),
      },
      &JobCells};
  (*m)[{"batch", "CronJob"}] = KindPrinter{
      {
          NameColumn(),
          Col("Schedule", "string", "The schedule in Cron format."),
          Col("Timezone", "string", "The time zone the schedule is evaluated in."),
          Col("Suspend", "boolean", "Whether subsequent executions are suspended."),
          Col("Active", "integer", "Number of currently running jobs."),
          Col("Last Schedule", "string", "Time since a job was last successfully scheduled."),
          AgeColumn(),
          Col("Containers", "string", "Names of each container in the template.", 1),
          Col("Images", "string", "Images referenced by each container in the template.", 1),
          Col("Selector", "string", "Label query over the pods of the jobs.", 1),
      },
      &CronJobCells};
}

}  // namespace kc::printers::internal
