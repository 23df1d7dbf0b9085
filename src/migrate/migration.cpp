#include "coodie/migrate/migration.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

#include "coodie/error.hpp"
#include "coodie/migrate/cql_script.hpp"
#include "state.hpp"

namespace coodie::migrate {
namespace {

[[noreturn]] void refuse(const std::string& message, std::string migration = {}) {
  throw migration_error(migration_error::reason::refused, message, std::move(migration));
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

std::optional<std::string> parse_id(std::string_view name) {
  // YYYYMMDD_NNN, then nothing or _description
  if (name.size() < 12 || !digits(name.substr(0, 8)) || name[8] != '_' ||
      !digits(name.substr(9, 3)) || (name.size() > 12 && name[12] != '_')) {
    return std::nullopt;
  }
  const int month = std::stoi(std::string(name.substr(4, 2)));
  const int day = std::stoi(std::string(name.substr(6, 2)));
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  return std::string(name.substr(0, 12));
}

migration cpp_migration(cpp_migration_info info, step_function up, step_function down) {
  detail::check_id(info.id, "C++ migration");
  if (!up) {
    refuse("C++ migration " + info.id + ": it has no up step", info.id);
  }
  migration m;
  m.id = info.id;
  m.checksum = checksum("c++\n" + m.id + '\n' + info.description + '\n' + info.version);
  m.description = std::move(info.description);
  m.source = "c++";
  m.run_up = std::move(up);
  m.run_down = std::move(down);
  m.destructive = info.destructive;
  return m;
}

migration load_file(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  std::optional<std::string> id = parse_id(name);
  if (!id || name.size() <= 17 || name.substr(name.size() - 4) != ".cql") {
    refuse(file.string() + ": a migration file is named YYYYMMDD_NNN_description.cql",
           file.string());
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    refuse(file.string() + ": cannot be read", file.string());
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  script s = parse_script(text, file.string());
  migration m;
  m.id = std::move(*id);
  m.description = name.substr(13, name.size() - 17);
  std::replace(m.description.begin(), m.description.end(), '_', ' ');
  m.checksum = checksum(text);
  m.source = file.string();
  m.destructive = std::any_of(s.up.begin(), s.up.end(),
                              [](const std::string& st) { return is_destructive(st); });
  m.up = std::move(s.up);
  m.down = std::move(s.down);
  return m;
}

std::vector<migration> load_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    refuse("migrations directory " + dir.string() + " does not exist");
  }
  std::vector<migration> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".cql") {
      out.push_back(load_file(entry.path()));
    }
  }
  sort_migrations(out);
  return out;
}

void sort_migrations(std::vector<migration>& all) {
  std::sort(all.begin(), all.end(),
            [](const migration& a, const migration& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < all.size(); ++i) {
    if (all[i].id == all[i - 1].id) {
      refuse("two migrations have the id " + all[i].id + ": " + all[i - 1].source + " and " +
                 all[i].source,
             all[i].id);
    }
  }
}

}  // namespace coodie::migrate
