#include "pkg/proxy/sync_plan.h"

#include <algorithm>

namespace kc::proxy {
namespace {

// The chains of `desired` to write (all, or those whose hash differs from `written`), packed
// into chunks by service port; fills plan->after.chains with every desired chain.
std::vector<std::vector<const ChainRules*>> PackChunks(const DesiredRules& desired,
                                                       const WrittenState* written,
                                                       size_t chunk_lines, SyncPlan* plan) {
  std::vector<std::vector<const ChainRules*>> chunks;
  std::vector<const ChainRules*> current;
  size_t current_lines = 0;
  for (const auto& port : desired.ports) {
    std::vector<const ChainRules*> changed;
    size_t lines = 0;
    for (const ChainRules& c : port->chains) {
      plan->after.chains[c.name] = c.hash;
      if (written) {
        auto it = written->chains.find(c.name);
        if (it != written->chains.end() && it->second == c.hash) continue;
      }
      changed.push_back(&c);
      lines += c.lines;
    }
    if (changed.empty()) continue;
    if (!current.empty() && current_lines + lines > chunk_lines) {
      chunks.push_back(std::move(current));
      current.clear();
      current_lines = 0;
    }
    current.insert(current.end(), changed.begin(), changed.end());
    current_lines += lines;
    plan->chains_written += changed.size();
  }
  if (!current.empty()) chunks.push_back(std::move(current));
  return chunks;
}

void Render(const DesiredRules& desired, const std::vector<std::vector<const ChainRules*>>& chunks,
            const std::vector<std::string>& deleted, SyncPlan* plan) {
  plan->chains_deleted = deleted.size();
  plan->after.top_hash = desired.top_hash;
  if (chunks.size() <= 1) {
    // Everything in one transaction.
    plan->restores.push_back(
        RenderRestore(&desired, chunks.empty() ? std::vector<const ChainRules*>{} : chunks[0],
                      deleted));
    return;
  }
  for (const auto& chunk : chunks) plan->restores.push_back(RenderRestore(nullptr, chunk, {}));
  plan->restores.push_back(RenderRestore(&desired, {}, deleted));
}

}  // namespace

SyncPlan PlanPartialSync(const DesiredRules& desired, const WrittenState& written,
                         size_t chunk_lines) {
  SyncPlan plan;
  auto chunks = PackChunks(desired, &written, chunk_lines, &plan);
  std::vector<std::string> deleted;
  for (const auto& [name, hash] : written.chains) {
    if (!plan.after.chains.count(name)) deleted.push_back(name);
  }
  std::sort(deleted.begin(), deleted.end());
  if (chunks.empty() && deleted.empty() && written.top_hash == desired.top_hash) {
    plan.after.top_hash = desired.top_hash;
    return plan;  // nothing changed
  }
  Render(desired, chunks, deleted, &plan);
  return plan;
}

SyncPlan PlanFullSync(const DesiredRules& desired, const std::set<std::string>& existing_nat_chains,
                      const WrittenState& written, size_t chunk_lines) {
  SyncPlan plan;
  auto chunks = PackChunks(desired, nullptr, chunk_lines, &plan);
  std::set<std::string> deleted;
  for (const std::string& c : existing_nat_chains) {
    if (IsServicePortChain(c) && !plan.after.chains.count(c)) deleted.insert(c);
  }
  for (const auto& [name, hash] : written.chains) {
    if (!plan.after.chains.count(name)) deleted.insert(name);
  }
  Render(desired, chunks, std::vector<std::string>(deleted.begin(), deleted.end()), &plan);
  return plan;
}

}  // namespace kc::proxy
