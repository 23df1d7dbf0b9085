// Replica placement as Cassandra computes it (SimpleStrategy, NetworkTopologyStrategy with rack
// awareness, ScyllaDB's EverywhereStrategy), precomputed for every position of the ring.
#include "token_map.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <system_error>

#include "coodie/error.hpp"

namespace coodie::driver::detail {

namespace {

constexpr std::string_view locator_prefix = "org.apache.cassandra.locator.";

// A whole string of decimal digits as a number; nothing when empty, signed or overflowing.
std::optional<std::size_t> parse_digits(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') {
    return std::nullopt;
  }
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return value;
}

// "3", or "3/1" (all replicas / transient replicas): the number of all replicas.
std::size_t parse_factor(std::string_view keyspace, std::string_view option,
                         std::string_view text) {
  const std::size_t slash = text.find('/');
  std::optional<std::size_t> all = parse_digits(text.substr(0, slash));
  if (all && slash != std::string_view::npos && !parse_digits(text.substr(slash + 1))) {
    all.reset();
  }
  if (!all) {
    throw protocol_error("keyspace \"" + std::string(keyspace) +
                         "\": malformed replication factor \"" + std::string(text) + "\" for \"" +
                         std::string(option) + "\"");
  }
  return *all;
}

}  // namespace

replication replication::parse(std::string_view keyspace,
                               const std::vector<std::pair<std::string, std::string>>& options) {
  replication r;
  auto option = [&](std::string_view key) -> const std::string* {
    for (const auto& [name, value] : options) {
      if (name == key) {
        return &value;
      }
    }
    return nullptr;
  };
  const std::string* class_name = option("class");
  if (class_name == nullptr) {
    return r;
  }
  std::string_view cls = *class_name;
  if (cls.starts_with(locator_prefix)) {
    cls.remove_prefix(locator_prefix.size());
  }
  if (cls == "SimpleStrategy") {
    r.k = kind::simple;
    const std::string* rf = option("replication_factor");
    if (rf == nullptr) {
      throw protocol_error("keyspace \"" + std::string(keyspace) +
                           "\": SimpleStrategy without a replication_factor");
    }
    r.factor = parse_factor(keyspace, "replication_factor", *rf);
  } else if (cls == "NetworkTopologyStrategy") {
    r.k = kind::network_topology;
    for (const auto& [k, v] : options) {
      if (k != "class") {
        r.dc_factors.emplace_back(k, parse_factor(keyspace, k, v));
      }
    }
    std::sort(r.dc_factors.begin(), r.dc_factors.end());
  } else if (cls == "LocalStrategy") {
    r.k = kind::local;
  } else if (cls == "EverywhereStrategy") {
    r.k = kind::everywhere;
  }
  return r;
}

token_map::token_map(std::vector<ring_host> hosts,
                     const std::vector<std::vector<std::int64_t>>& tokens_per_host)
    : hosts_(std::move(hosts)) {
  if (tokens_per_host.size() > hosts_.size()) {
    throw usage_error("token_map: tokens for " + std::to_string(tokens_per_host.size()) +
                      " hosts, but only " + std::to_string(hosts_.size()) + " hosts");
  }
  if (hosts_.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw usage_error("token_map: too many hosts");
  }
  std::vector<std::pair<std::int64_t, std::uint32_t>> ring;
  for (std::size_t h = 0; h < tokens_per_host.size(); ++h) {
    for (std::int64_t t : tokens_per_host[h]) {
      ring.emplace_back(t, static_cast<std::uint32_t>(h));
    }
  }
  std::sort(ring.begin(), ring.end());
  // A token claimed twice (a stale peer entry) stays with the lower host id.
  ring.erase(std::unique(ring.begin(), ring.end(),
                         [](const auto& a, const auto& b) { return a.first == b.first; }),
             ring.end());
  tokens_.reserve(ring.size());
  owners_.reserve(ring.size());
  for (const auto& [t, h] : ring) {
    tokens_.push_back(t);
    owners_.push_back(h);
  }

  // Datacenters and racks of the hosts that own tokens.
  std::vector<bool> in_ring(hosts_.size(), false);
  for (std::uint32_t h : owners_) {
    in_ring[h] = true;
  }
  std::vector<std::pair<std::string_view, std::string_view>> racks;
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    if (in_ring[h]) {
      ++ring_host_count_;
      dcs_.push_back(hosts_[h].dc);
      racks.emplace_back(hosts_[h].dc, hosts_[h].rack);
    }
  }
  std::sort(dcs_.begin(), dcs_.end());
  dcs_.erase(std::unique(dcs_.begin(), dcs_.end()), dcs_.end());
  std::sort(racks.begin(), racks.end());
  racks.erase(std::unique(racks.begin(), racks.end()), racks.end());
  rack_count_ = racks.size();
  dc_host_count_.assign(dcs_.size(), 0);
  dc_rack_count_.assign(dcs_.size(), 0);
  for (const auto& [dc, rack] : racks) {
    ++dc_rack_count_[std::lower_bound(dcs_.begin(), dcs_.end(), dc) - dcs_.begin()];
  }
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  host_dc_.assign(hosts_.size(), none);
  host_rack_.assign(hosts_.size(), none);
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    if (in_ring[h]) {
      auto dc = std::lower_bound(dcs_.begin(), dcs_.end(), hosts_[h].dc) - dcs_.begin();
      std::pair<std::string_view, std::string_view> key(hosts_[h].dc, hosts_[h].rack);
      auto rack = std::lower_bound(racks.begin(), racks.end(), key) - racks.begin();
      host_dc_[h] = static_cast<std::uint32_t>(dc);
      host_rack_[h] = static_cast<std::uint32_t>(rack);
      ++dc_host_count_[static_cast<std::size_t>(dc)];
    }
  }
}

std::vector<token_map::keyspace_entry>::const_iterator token_map::find(
    std::string_view name) const {
  auto it = std::lower_bound(
      keyspaces_.begin(), keyspaces_.end(), name,
      [](const keyspace_entry& e, std::string_view n) { return std::string_view(e.name) < n; });
  if (it != keyspaces_.end() && it->name == name) {
    return it;
  }
  return keyspaces_.end();
}

void token_map::set_keyspace(const std::string& name, const replication& r) {
  std::shared_ptr<const replica_table> table;
  for (const keyspace_entry& e : keyspaces_) {
    if (e.table->repl == r) {
      table = e.table;
      break;
    }
  }
  if (!table) {
    table = build_table(r);
  }
  auto it =
      std::lower_bound(keyspaces_.begin(), keyspaces_.end(), name,
                       [](const keyspace_entry& e, const std::string& n) { return e.name < n; });
  if (it != keyspaces_.end() && it->name == name) {
    it->table = std::move(table);
  } else {
    keyspaces_.insert(it, keyspace_entry{name, std::move(table)});
  }
}

void token_map::drop_keyspace(std::string_view name) {
  auto it = find(name);
  if (it != keyspaces_.end()) {
    keyspaces_.erase(it);
  }
}

std::span<const std::uint32_t> token_map::replicas(std::string_view keyspace,
                                                   std::int64_t token) const {
  auto it = find(keyspace);
  if (tokens_.empty() || it == keyspaces_.end() || it->table->offsets.empty()) {
    return {};
  }
  const replica_table& t = *it->table;
  auto pos = static_cast<std::size_t>(std::lower_bound(tokens_.begin(), tokens_.end(), token) -
                                      tokens_.begin());
  if (pos == tokens_.size()) {
    pos = 0;  // past the last token: the ring wraps to the first
  }
  return {t.flat.data() + t.offsets[pos], t.offsets[pos + 1] - t.offsets[pos]};
}

std::shared_ptr<const token_map::replica_table> token_map::build_table(const replication& r) const {
  switch (r.k) {
    case replication::kind::simple:
      return std::make_shared<const replica_table>(build_walk(r, r.factor));
    case replication::kind::everywhere:
      return std::make_shared<const replica_table>(build_walk(r, ring_host_count_));
    case replication::kind::network_topology:
      return std::make_shared<const replica_table>(build_network_topology(r));
    case replication::kind::local:
    case replication::kind::other:
      break;
  }
  return std::make_shared<const replica_table>(replica_table{r, {}, {}});
}

// SimpleStrategy: the first `rf` distinct hosts met walking clockwise from each position.
token_map::replica_table token_map::build_walk(replication r, std::size_t rf) const {
  replica_table t{std::move(r), {}, {}};
  const std::size_t n = tokens_.size();
  rf = std::min(rf, ring_host_count_);
  t.flat.reserve(n * rf);
  t.offsets.reserve(n + 1);
  std::vector<std::size_t> seen(hosts_.size(), 0);  // == i + 1: taken for position i
  for (std::size_t i = 0; i < n; ++i) {
    t.offsets.push_back(t.flat.size());
    std::size_t taken = 0;
    for (std::size_t j = 0, at = i; j < n && taken < rf; ++j, at = at + 1 == n ? 0 : at + 1) {
      std::uint32_t h = owners_[at];
      if (seen[h] != i + 1) {
        seen[h] = i + 1;
        t.flat.push_back(h);
        ++taken;
      }
    }
  }
  t.offsets.push_back(t.flat.size());
  return t;
}

// NetworkTopologyStrategy as Cassandra's calculateNaturalEndpoints (and the Java driver) compute
// it: per dc, hosts on racks not yet used come first; a host on a used rack waits in the dc's
// skipped list until every rack of the dc has been seen, then skipped hosts fill up, in order.
token_map::replica_table token_map::build_network_topology(replication r) const {
  const std::size_t n = tokens_.size();
  const std::size_t dc_n = dcs_.size();
  std::vector<std::size_t> target(dc_n, 0);
  for (const auto& [dc, factor] : r.dc_factors) {
    auto it = std::lower_bound(dcs_.begin(), dcs_.end(), dc);
    if (it != dcs_.end() && *it == dc) {
      auto d = static_cast<std::size_t>(it - dcs_.begin());
      target[d] = std::min(factor, dc_host_count_[d]);
    }
  }
  const auto dcs_wanted = static_cast<std::size_t>(
      std::count_if(target.begin(), target.end(), [](std::size_t f) { return f > 0; }));

  replica_table t{std::move(r), {}, {}};
  t.offsets.reserve(n + 1);
  // Stamps: == i + 1 means "for position i".
  std::vector<std::size_t> accepted(hosts_.size(), 0);
  std::vector<std::size_t> skipped_stamp(hosts_.size(), 0);
  std::vector<std::size_t> rack_seen(rack_count_, 0);
  std::vector<std::size_t> count(dc_n);
  std::vector<std::size_t> racks_seen(dc_n);
  std::vector<std::vector<std::uint32_t>> skipped(dc_n);
  for (std::size_t i = 0; i < n; ++i) {
    t.offsets.push_back(t.flat.size());
    const std::size_t stamp = i + 1;
    std::fill(count.begin(), count.end(), 0);
    std::fill(racks_seen.begin(), racks_seen.end(), 0);
    for (auto& s : skipped) {
      s.clear();
    }
    std::size_t remaining = dcs_wanted;
    auto accept = [&](std::uint32_t h, std::size_t d) {
      accepted[h] = stamp;
      t.flat.push_back(h);
      if (++count[d] == target[d]) {
        --remaining;
      }
    };
    for (std::size_t j = 0, at = i; j < n && remaining > 0; ++j, at = at + 1 == n ? 0 : at + 1) {
      const std::uint32_t h = owners_[at];
      const std::size_t d = host_dc_[h];
      if (count[d] >= target[d] || accepted[h] == stamp) {
        continue;
      }
      if (racks_seen[d] == dc_rack_count_[d]) {
        accept(h, d);
        continue;
      }
      const std::size_t rack = host_rack_[h];
      if (rack_seen[rack] == stamp) {
        if (skipped_stamp[h] != stamp) {
          skipped_stamp[h] = stamp;
          skipped[d].push_back(h);
        }
        continue;
      }
      rack_seen[rack] = stamp;
      ++racks_seen[d];
      accept(h, d);
      if (racks_seen[d] == dc_rack_count_[d]) {
        for (std::uint32_t s : skipped[d]) {
          if (count[d] >= target[d]) {
            break;
          }
          accept(s, d);
        }
      }
    }
  }
  t.offsets.push_back(t.flat.size());
  return t;
}

std::int64_t parse_token(std::string_view text) {
  std::int64_t value = 0;
  bool ok = !text.empty();
  if (ok) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    ok = ec == std::errc{} && ptr == end;
  }
  if (!ok) {
    throw protocol_error("malformed token \"" + std::string(text) +
                         "\" (expected a decimal 64-bit integer)");
  }
  return value;
}

}  // namespace coodie::driver::detail
