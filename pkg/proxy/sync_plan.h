// Sync planning: which iptables-restore inputs bring the kernel from what the proxier last wrote
// to the desired rule set, as upstream kube-proxy (≥ 1.27) does it.
//
// A partial sync writes only the per-service-port chains whose rules changed since the last
// successful write, always rewrites the top-level chains (filter table, nat KUBE-SERVICES,
// KUBE-NODEPORTS, KUBE-POSTROUTING, KUBE-MARK-MASQ), and deletes the chains it wrote before that
// are no longer wanted — without asking iptables (no iptables-save). A full sync writes every
// chain and also deletes the stale per-service-port chains iptables-save listed (left by an
// earlier run).
//
// iptables-nft-restore is super-linear in the size of one transaction, so a large write is split
// into several restores: chunks of about `chunk_lines` rule lines, grouped by service port (a
// port's chains always change together, in one transaction), then a last restore with the
// top-level chains and the deletions. Until that last one, the top-level chains still refer only
// to chains that exist, so the rules stay consistent if any restore fails. A write that fits in
// one chunk is one restore.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "pkg/proxy/iptables_rules.h"

namespace kc::proxy {

// What the proxier wrote successfully: per-service-port nat chain → hash of its rules, and the
// hash of the top-level chains (unset: unknown, write them).
struct WrittenState {
  std::unordered_map<std::string, uint64_t> chains;
  std::optional<uint64_t> top_hash;
};

struct SyncPlan {
  std::vector<std::string> restores;  // run in order; empty: nothing to write
  WrittenState after;                 // the state once every restore succeeded
  size_t chains_written = 0;          // per-service-port chains (re)written
  size_t chains_deleted = 0;
};

SyncPlan PlanPartialSync(const DesiredRules& desired, const WrittenState& written,
                         size_t chunk_lines);
// `existing_nat_chains`: the nat chains iptables-save listed just before. Chains in `written`
// that are no longer wanted are deleted too.
SyncPlan PlanFullSync(const DesiredRules& desired, const std::set<std::string>& existing_nat_chains,
                      const WrittenState& written, size_t chunk_lines);

}  // namespace kc::proxy
