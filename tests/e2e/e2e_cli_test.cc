// The command-line contract: help for every command, settings precedence
// (flag > environment > config file > default), JSON logs.
#include <catch2/catch.hpp>
#include <simdjson.h>

#include <sstream>

#include "e2e/e2e_support.h"

using namespace jumpsync::testing;

TEST_CASE("every command has --help", "[e2e][cli]") {
  TestDb db("sqlite");
  Cli cli(db.url(), db.dir() / "cli");
  auto overview = cli.ok({"--help"});
  std::istringstream lines(overview.out);
  std::string line;
  int commands = 0;
  while (std::getline(lines, line)) {
    auto at = line.find("  jumpsync ");
    if (at != 0) continue;
    std::istringstream words(line.substr(11));
    std::string first, second;
    words >> first >> second;
    std::vector<std::string> args{first};
    if (!second.empty() && second[0] != '-' && second[0] != '[' && !std::isupper(static_cast<unsigned char>(second[0])) &&
        second != "|")
      args.push_back(second);
    args.push_back("--help");
    auto r = cli.run(args);
    INFO(line);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("usage: jumpsync " + first) == 0);
    ++commands;
  }
  CHECK(commands >= 20);
}

TEST_CASE("settings: flag over environment over config file", "[e2e][cli]") {
  TestDb db("sqlite");
  auto dir = db.dir();
  Cli cli(db.url(), dir / "cli");
  std::string from_file = (dir / "from-file.db").string(), from_env = (dir / "from-env.db").string(),
              from_flag = (dir / "from-flag.db").string();
  write_file(dir / "jumpsync.properties", "db = sqlite:" + from_file + "\nlog_format = text\n");
  std::string config = (dir / "jumpsync.properties").string();
  cli.set_env("JUMPSYNC_DB", "");
  cli.ok({"--config", config, "db", "migrate"});
  CHECK(std::filesystem::exists(from_file));
  cli.set_env("JUMPSYNC_DB", "sqlite:" + from_env);
  cli.ok({"--config", config, "db", "migrate"});
  CHECK(std::filesystem::exists(from_env));
  cli.ok({"--config", config, "--db", "sqlite:" + from_flag, "db", "migrate"});
  CHECK(std::filesystem::exists(from_flag));
  auto missing = cli.run({"--config", (dir / "nope.properties").string(), "db", "migrate"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.properties") != std::string::npos);
  auto bad_url = cli.run({"--db", "mysql://x/y", "db", "migrate"});
  CHECK(bad_url.exit_code == 2);
  CHECK(bad_url.err.find("sqlite:PATH") != std::string::npos);
}

TEST_CASE("JSON logs: one JSON object per log line with --log-format json", "[e2e][cli]") {
  TestDb db("sqlite");
  Cli cli(db.url(), db.dir() / "cli");
  cli.ok({"db", "migrate"});
  make_scim_team(cli, "acme", write_export(cli, "u.csv", {{"a@acme.example", "A", "B", true, "1"}}));
  auto r = cli.ok({"--log-format", "json", "apply", "--team", "acme"});
  std::istringstream lines(r.err);
  std::string line;
  int parsed = 0;
  simdjson::dom::parser parser;
  while (std::getline(lines, line)) {
    INFO(line);
    simdjson::dom::element doc;
    REQUIRE(parser.parse(line).get(doc) == simdjson::SUCCESS);
    CHECK(doc["level"].is_string());
    CHECK(doc["msg"].is_string());
    CHECK(doc["time"].is_string());
    ++parsed;
  }
  CHECK(parsed >= 1);
  CHECK(cli.run({"--log-format", "xml", "runs", "--team", "acme"}).exit_code == 2);
}

TEST_CASE("runs lists a run and report --run prints its plan again, in every format", "[e2e][cli]") {
  TestDb db("sqlite");
  Cli cli(db.url(), db.dir() / "cli");
  cli.ok({"db", "migrate"});
  make_scim_team(cli, "acme", write_export(cli, "u.csv", {{"a@acme.example", "Ann", "A", true, "1"},
                                                           {"b@acme.example", "Bob", "B", true, "2"}}));
  auto applied = cli.ok({"apply", "--team", "acme", "--format", "json"});
  simdjson::dom::parser parser;
  simdjson::dom::element runs = parser.parse(cli.ok({"runs", "--team", "acme", "--format", "json"}).out);
  simdjson::dom::array list = runs.get_array();
  REQUIRE(list.size() >= 1);
  simdjson::dom::element newest = list.at(0);
  CHECK(std::string(newest["outcome"].get_string().value()) == "ok");
  CHECK(newest["counts"]["create"].get_int64().value() == 2);
  std::string id = std::to_string(newest["id"].get_int64().value());
  auto again = cli.ok({"report", "--run", id, "--format", "json"});
  CHECK(summary_count(again.out, "create") == 2);
  CHECK(again.out == applied.out);  // the same plan, printed again
  CHECK(cli.ok({"report", "--run", id, "--format", "csv"}).out.find("b@acme.example") != std::string::npos);
  CHECK(cli.ok({"report", "--run", id, "--format", "html"}).out.find("b@acme.example") != std::string::npos);
  CHECK(cli.run({"report", "--run", "999"}).exit_code == 2);
}
