#pragma once
// Community detection on a weighted undirected graph: the Leiden algorithm (Traag, Waltman & van
// Eck 2019) maximising modularity with a resolution parameter, made deterministic. Nodes are
// visited in index order and every choice between equal gains is fixed by that order, so the same
// graph always gives the same partition (no random seed, no thread count).

#include <cstdint>
#include <vector>

namespace lexsim::detail {

/// Both directions of every edge are stored; no self-loops. node_weight is each node's strength
/// (the sum of its incident weights; after aggregation it also counts the weight inside the node).
struct Graph {
  std::vector<std::int64_t> offsets{0};  ///< node v's edges are [offsets[v], offsets[v + 1])
  std::vector<std::int32_t> targets;
  std::vector<double> weights;
  std::vector<double> node_weight;

  std::int32_t size() const noexcept { return static_cast<std::int32_t>(node_weight.size()); }
};

struct Partition {
  std::vector<std::int32_t> membership;  ///< per node: its community, numbered from 0 in order of
                                         ///< each community's lowest node
  double modularity = 0.0;               ///< of membership, at the resolution used
  int iterations = 0;                    ///< full Leiden passes run until nothing moved
};

/// Modularity (Newman's, with resolution gamma): the share of edge weight inside communities minus
/// gamma times its expectation under the configuration model.
double modularity(const Graph& g, const std::vector<std::int32_t>& membership, double gamma);

/// Leiden passes (local moving, refinement, aggregation) until a pass moves nothing, at most
/// max_iterations passes. Every community of the result is connected.
Partition leiden(const Graph& g, double gamma, int max_iterations = 50);

}  // namespace lexsim::detail
