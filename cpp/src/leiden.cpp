// The deterministic Leiden algorithm behind story groups (see leiden.hpp).
//
// Moving node v (strength k_v) out of its community into community C changes modularity by
//   (w(v, C) - gamma * k_v * K_C / 2m) * 2 / 2m
// where w(v, C) is the weight of v's edges into C and K_C the strength of C without v, so every
// comparison below works with gain = w(v, C) - k_v * K_C * gamma / 2m and its constant factor is
// dropped.
#include "leiden.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <numeric>
#include <vector>

#include "lexsim/interrupt.hpp"

namespace lexsim::detail {
namespace {

using Index = std::size_t;

// A move must beat staying by more than rounding, so local moving can never cycle on ties that
// differ only in the last bits.
constexpr double kRelativeMargin = 1e-12;

// Weights of a node's edges grouped by the community at the other end, without clearing a
// whole array per node.
class LinkTable {
 public:
  explicit LinkTable(std::size_t n) : weight_(n, 0.0), seen_(n, 0) {}
  void add(std::int32_t c, double w) {
    const auto i = static_cast<Index>(c);
    if (!seen_[i]) {
      seen_[i] = 1;
      touched_.push_back(c);
    }
    weight_[i] += w;
  }
  double operator[](std::int32_t c) const { return weight_[static_cast<Index>(c)]; }
  const std::vector<std::int32_t>& touched() const { return touched_; }
  void clear() {
    for (const std::int32_t c : touched_) {
      weight_[static_cast<Index>(c)] = 0.0;
      seen_[static_cast<Index>(c)] = 0;
    }
    touched_.clear();
  }

 private:
  std::vector<double> weight_;
  std::vector<std::uint8_t> seen_;
  std::vector<std::int32_t> touched_;
};

// Leiden's fast local moving: a queue of nodes, initially all in index order; a node that moves
// puts its neighbours outside its new community back in the queue. Returns whether anything moved.
bool move_nodes(const Graph& g, std::vector<std::int32_t>& comm, double scale) {
  const auto n = static_cast<Index>(g.size());
  std::vector<double> comm_weight(n, 0.0);
  std::vector<std::int32_t> comm_size(n, 0);
  for (Index v = 0; v < n; ++v) {
    comm_weight[static_cast<Index>(comm[v])] += g.node_weight[v];
    ++comm_size[static_cast<Index>(comm[v])];
  }
  std::vector<std::int32_t> empty;  // unused community ids, taken from the back
  for (Index c = n; c-- > 0;)
    if (comm_size[c] == 0) empty.push_back(static_cast<std::int32_t>(c));
  std::deque<std::int32_t> queue(n);
  std::iota(queue.begin(), queue.end(), 0);
  std::vector<std::uint8_t> queued(n, 1);
  LinkTable links(n);
  bool moved = false;
  std::size_t steps = 0;
  while (!queue.empty()) {
    if ((++steps & 0xFFFF) == 0) poll_interrupt();
    const auto v = static_cast<Index>(queue.front());
    queue.pop_front();
    queued[v] = 0;
    const std::int32_t own = comm[v];
    const double kv = g.node_weight[v];
    for (auto e = static_cast<Index>(g.offsets[v]); e < static_cast<Index>(g.offsets[v + 1]); ++e)
      links.add(comm[static_cast<Index>(g.targets[e])], g.weights[e]);
    comm_weight[static_cast<Index>(own)] -= kv;
    --comm_size[static_cast<Index>(own)];

    std::int32_t best = own;
    double best_gain = links[own] - kv * comm_weight[static_cast<Index>(own)] * scale;
    const double margin = kRelativeMargin * (std::abs(best_gain) + kv);
    for (const std::int32_t c : links.touched()) {
      if (c == own) continue;
      const double gain = links[c] - kv * comm_weight[static_cast<Index>(c)] * scale;
      if (gain > best_gain + margin) {
        best_gain = gain;
        best = c;
      }
    }
    // A community of its own gains 0; when v was alone, that is staying.
    if (comm_size[static_cast<Index>(own)] > 0 && 0.0 > best_gain + margin) best = empty.back();
    if (!empty.empty() && best == empty.back()) empty.pop_back();
    comm_weight[static_cast<Index>(best)] += kv;
    ++comm_size[static_cast<Index>(best)];
    if (best != own) {
      if (comm_size[static_cast<Index>(own)] == 0) empty.push_back(own);
      comm[v] = best;
      moved = true;
      for (auto e = static_cast<Index>(g.offsets[v]); e < static_cast<Index>(g.offsets[v + 1]); ++e) {
        const auto t = static_cast<Index>(g.targets[e]);
        if (!queued[t] && comm[t] != best) {
          queued[t] = 1;
          queue.push_back(static_cast<std::int32_t>(t));
        }
      }
    }
    links.clear();
  }
  return moved;
}

// Leiden's refinement, with the greedy choice (the limit of its randomness parameter going to
// 0): inside each community, nodes still alone join the well-connected sub-community of the
// largest non-negative gain. Sub-communities are named by a node of theirs.
std::vector<std::int32_t> refine(const Graph& g, const std::vector<std::int32_t>& comm, double scale) {
  const auto n = static_cast<Index>(g.size());
  std::vector<std::int32_t> sub(n);
  std::iota(sub.begin(), sub.end(), 0);
  std::vector<double> sub_weight(g.node_weight), comm_weight(n, 0.0), external(n, 0.0);
  std::vector<std::int32_t> sub_size(n, 1);
  for (Index v = 0; v < n; ++v) comm_weight[static_cast<Index>(comm[v])] += g.node_weight[v];
  // external[s]: the weight between sub-community s and the rest of its community
  for (Index v = 0; v < n; ++v)
    for (auto e = static_cast<Index>(g.offsets[v]); e < static_cast<Index>(g.offsets[v + 1]); ++e)
      if (comm[static_cast<Index>(g.targets[e])] == comm[v]) external[v] += g.weights[e];
  LinkTable links(n);
  for (Index v = 0; v < n; ++v) {
    if ((v & 0xFFFF) == 0) poll_interrupt();
    if (sub_size[static_cast<Index>(sub[v])] != 1) continue;
    const double kv = g.node_weight[v];
    const double total = comm_weight[static_cast<Index>(comm[v])];
    if (external[v] < kv * (total - kv) * scale) continue;  // v is not well connected to its community
    for (auto e = static_cast<Index>(g.offsets[v]); e < static_cast<Index>(g.offsets[v + 1]); ++e) {
      const auto t = static_cast<Index>(g.targets[e]);
      if (comm[t] == comm[v]) links.add(sub[t], g.weights[e]);
    }
    std::int32_t best = -1;
    double best_gain = 0.0;
    for (const std::int32_t s : links.touched()) {
      const auto si = static_cast<Index>(s);
      if (s == sub[v]) continue;
      if (external[si] < sub_weight[si] * (total - sub_weight[si]) * scale) continue;
      const double gain = links[s] - kv * sub_weight[si] * scale;
      if (gain >= 0.0 && (best < 0 || gain > best_gain + kRelativeMargin * (std::abs(best_gain) + kv))) {
        best = s;
        best_gain = gain;
      }
    }
    if (best >= 0) {
      const auto bi = static_cast<Index>(best);
      external[bi] += external[v] - 2.0 * links[best];
      sub_weight[bi] += kv;
      ++sub_size[bi];
      sub_size[static_cast<Index>(sub[v])] = 0;
      sub[v] = best;
    }
    links.clear();
  }
  return sub;
}

// Renumbers labels 0, 1, ... in order of each label's first node; returns how many there are.
std::int32_t renumber(std::vector<std::int32_t>& labels) {
  std::vector<std::int32_t> id(labels.size(), -1);
  std::int32_t next = 0;
  for (auto& l : labels) {
    auto& slot = id[static_cast<Index>(l)];
    if (slot < 0) slot = next++;
    l = slot;
  }
  return next;
}

// The graph whose nodes are the groups of `part` (numbered 0..count-1), edges summed, inner
// edges dropped (their weight stays in the node's strength).
Graph aggregate(const Graph& g, const std::vector<std::int32_t>& part, std::int32_t count) {
  const auto n = static_cast<Index>(g.size());
  const auto m = static_cast<Index>(count);
  std::vector<std::int64_t> start(m + 1, 0);
  for (Index v = 0; v < n; ++v) ++start[static_cast<Index>(part[v]) + 1];
  for (Index c = 0; c < m; ++c) start[c + 1] += start[c];
  std::vector<std::int32_t> nodes(n);
  {
    std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
    for (Index v = 0; v < n; ++v)
      nodes[static_cast<Index>(fill[static_cast<Index>(part[v])]++)] = static_cast<std::int32_t>(v);
  }
  Graph out;
  out.node_weight.assign(m, 0.0);
  out.offsets.reserve(m + 1);
  LinkTable links(m);
  std::vector<std::int32_t> order;
  for (Index c = 0; c < m; ++c) {
    for (auto i = static_cast<Index>(start[c]); i < static_cast<Index>(start[c + 1]); ++i) {
      const auto v = static_cast<Index>(nodes[i]);
      out.node_weight[c] += g.node_weight[v];
      for (auto e = static_cast<Index>(g.offsets[v]); e < static_cast<Index>(g.offsets[v + 1]); ++e) {
        const std::int32_t t = part[static_cast<Index>(g.targets[e])];
        if (static_cast<Index>(t) != c) links.add(t, g.weights[e]);
      }
    }
    order.assign(links.touched().begin(), links.touched().end());
    std::sort(order.begin(), order.end());
    for (const std::int32_t t : order) {
      out.targets.push_back(t);
      out.weights.push_back(links[t]);
    }
    out.offsets.push_back(static_cast<std::int64_t>(out.targets.size()));
    links.clear();
  }
  return out;
}

}  // namespace

double modularity(const Graph& g, const std::vector<std::int32_t>& membership, double gamma) {
  const auto n = static_cast<Index>(g.size());
  double total = 0.0;
  for (const double w : g.node_weight) total += w;
  if (total <= 0.0) return 0.0;
  std::vector<double> inside(n, 0.0), strength(n, 0.0);
  for (Index v = 0; v < n; ++v) {
    const auto c = static_cast<Index>(membership[v]);
    strength[c] += g.node_weight[v];
    for (auto e = static_cast<Index>(g.offsets[v]); e < static_cast<Index>(g.offsets[v + 1]); ++e)
      if (membership[static_cast<Index>(g.targets[e])] == membership[v]) inside[c] += g.weights[e];
  }
  double q = 0.0;
  for (Index c = 0; c < n; ++c) q += inside[c] - gamma * strength[c] * strength[c] / total;
  return q / total;
}

Partition leiden(const Graph& g0, double gamma, int max_iterations) {
  const auto n = static_cast<Index>(g0.size());
  Partition result;
  result.membership.resize(n);
  std::iota(result.membership.begin(), result.membership.end(), 0);
  double total = 0.0;
  for (const double w : g0.node_weight) total += w;
  if (n == 0 || total <= 0.0) return result;
  const double scale = gamma / total;

  std::vector<std::int32_t>& membership = result.membership;
  for (int pass = 0; pass < max_iterations; ++pass) {
    bool changed = false;
    std::vector<std::int32_t> comm = membership;
    std::vector<std::int32_t> node_of(n);  // original node -> node of the current level
    std::iota(node_of.begin(), node_of.end(), 0);
    Graph level;
    const Graph* current = &g0;
    while (true) {
      changed |= move_nodes(*current, comm, scale);
      const auto size = static_cast<Index>(current->size());
      std::vector<std::int32_t> communities = comm;
      if (static_cast<Index>(renumber(communities)) == size) break;  // every node alone: done
      std::vector<std::int32_t> sub = refine(*current, comm, scale);
      const std::int32_t count = renumber(sub);
      if (static_cast<Index>(count) == size) break;  // refinement merged nothing: no level above
      // The aggregate's nodes start in the community their members were moved to.
      std::vector<std::int32_t> next_comm(static_cast<Index>(count));
      for (Index v = 0; v < size; ++v) next_comm[static_cast<Index>(sub[v])] = communities[v];
      Graph next = aggregate(*current, sub, count);
      for (auto& x : node_of) x = sub[static_cast<Index>(x)];
      level = std::move(next);
      current = &level;
      comm = std::move(next_comm);
    }
    for (Index v = 0; v < n; ++v) membership[v] = comm[static_cast<Index>(node_of[v])];
    renumber(membership);
    result.iterations = pass + 1;
    if (!changed) break;
  }
  result.modularity = modularity(g0, membership, gamma);
  return result;
}

}  // namespace lexsim::detail
