// Tables for PersistentVolume and PersistentVolumeClaim.
#include <set>
#include <string>

#include "pkg/printers/printer_registry.h"

namespace kc::printers::internal {
namespace {

constexpr std::string_view kBetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

// helper.GetAccessModesAsString: de-duplicated, in the fixed order RWO, ROX, RWX, RWOP.
std::string AccessModes(const boost::json::array* modes) {
  std::set<std::string> present;
  if (modes) {
    for (const auto& m : *modes) {
      if (m.is_string()) present.emplace(m.get_string());
    }
  }
  std::vector<std::string> out;
  if (present.count("ReadWriteOnce")) out.push_back("RWO");
  if (present.count("ReadOnlyMany")) out.push_back("ROX");
  if (present.count("ReadWriteMany")) out.push_back("RWX");
  if (present.count("ReadWriteOncePod")) out.push_back("RWOP");
  return Join(out, ",");
}

std::string StorageClass(const boost::json::object& obj) {
  const auto* ann = FindObj(Meta(obj), "annotations");
  if (ann && ann->if_contains(kBetaStorageClassAnnotation)) {
    return Str(ann, kBetaStorageClassAnnotation);
  }
  return Str(FindObj(obj, "spec"), "storageClassName");
}

std::string OrUnset(const boost::json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  if (!v || !v->is_string()) return "<unset>";
  return std::string(v->get_string());
}

bool Deleting(const boost::json::object& obj) {
  const auto* meta = Meta(obj);
  const auto* ts = meta ? meta->if_contains("deletionTimestamp") : nullptr;
  return ts && !ts->is_null();
}

void PersistentVolumeCells(const boost::json::object& obj, TimePoint now,
                           boost::json::array* cells) {
  const auto* spec = FindObj(obj, "spec");
  const auto* status = FindObj(obj, "status");
  std::string claim;
  if (const auto* ref = FindObj(spec, "claimRef")) {
    claim = Str(*ref, "namespace") + "/" + Str(*ref, "name");
  }
  const auto* capacity = FindObj(spec, "capacity");
  cells->emplace_back(Name(obj));
  cells->emplace_back(Quantity(capacity ? capacity->if_contains("storage") : nullptr));
  cells->emplace_back(AccessModes(FindArr(spec, "accessModes")));
  cells->emplace_back(Str(spec, "persistentVolumeReclaimPolicy"));
  cells->emplace_back(Deleting(obj) ? std::string("Terminating") : Str(status, "phase"));
  cells->emplace_back(claim);
  cells->emplace_back(StorageClass(obj));
  cells->emplace_back(OrUnset(spec, "volumeAttributesClassName"));
  cells->emplace_back(Str(status, "reason"));
  cells->emplace_back(Age(obj, now));
  cells->emplace_back(OrUnset(spec, "volumeMode"));
}

void PersistentVolumeClaimCells(const boost::json::object& obj, TimePoint now,
                                boost::json::array* cells) {
  const auto* spec = FindObj(obj, "spec");
  const auto* status = FindObj(obj, "status");
  const std::string volume = Str(spec, "volumeName");
  std::string capacity, modes;
  if (!volume.empty()) {
    const auto* cap = FindObj(status, "capacity");
    capacity = Quantity(cap ? cap->if_contains("storage") : nullptr);
    modes = AccessModes(FindArr(status, "accessModes"));
  }
  cells->emplace_back(Name(obj));
  cells->emplace_back(Deleting(obj) ? std::string("Terminating") : Str(status, "phase"));
  cells->emplace_back(volume);
  cells->emplace_back(capacity);
  cells->emplace_back(modes);
  cells->emplace_back(StorageClass(obj));
  cells->emplace_back(OrUnset(spec, "volumeAttributesClassName"));
  cells->emplace_back(Age(obj, now));
  cells->emplace_back(OrUnset(spec, "volumeMode"));
}

}  // namespace

void AddStoragePrinters(PrinterMap* m) {
  (*m)[{"", "PersistentVolume"}] = KindPrinter{
      {
          NameColumn(),
          Col("Capacity", "string", "The storage capacity of the volume."),
          Col("Access Modes", "string", "The ways the volume can be mounted."),
          Col("Reclaim Policy", "string", "What happens to the volume when its claim is released."),
          Col("Status", "string", "The phase of the volume."),
          Col("Claim", "string", "The claim bound to the volume."),
          Col("StorageClass", "string", "The storage class the volume belongs to."),
          Col("VolumeAttributesClass", "string", "The volume attributes class of the volume."),
          Col("Reason", "string", "Why the volume is in its phase, if it failed."),
          AgeColumn(),
          Col("VolumeMode", "string", "Whether the volume is a filesystem or a raw block device.", 1),
      },
      &PersistentVolumeCells};
  (*m)[{"", "PersistentVolumeClaim"}] = KindPrinter{
      {
          NameColumn(),
          Col("Status", "string", "The phase of the claim."),
          Col("Volume", "string", "The volume bound to the claim."),
          Col("Capacity", "string", "The capacity of the bound volume."),
          Col("Access Modes", "string", "The access modes of the bound volume."),
          Col("StorageClass", "string", "The storage class requested by the claim."),
          Col("VolumeAttributesClass", "string", "The volume attributes class of the claim."),
          AgeColumn(),
          Col("VolumeMode", "string", "Whether the volume is a filesystem or a raw block device.", 1),
      },
      &PersistentVolumeClaimCells};
}

}  // namespace kc::printers::internal
