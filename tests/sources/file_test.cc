// The file source: SCIM JSON and RFC 4180 CSV exports.
#include "jumpsync/sources/csv_reader.h"
#include "sources_test_util.h"

using namespace jumpsync;
using namespace jumpsync::testing;

namespace {

std::string scim_json(const std::vector<MockUser>& users) {
  std::string out = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":" +
                    std::to_string(users.size()) + ",\"Resources\":[";
  for (size_t i = 0; i < users.size(); ++i) {
    const auto& u = users[i];
    out += (i ? ",\n" : "\n");
    out += "{\"id\":\"" + u.id + "\",\"userName\":\"" + u.id + "\",\"name\":{\"givenName\":\"" + u.given_name +
           "\",\"familyName\":\"" + u.family_name + "\"},\"active\":" + (u.active ? "true" : "false") +
           ",\"emails\":[{\"value\":\"" + u.email + "\",\"primary\":true}]}";
  }
  return out + "]}";
}

std::string csv(const std::vector<MockUser>& users) {
  std::string out = "email,given_name,family_name,active,external_id\r\n";
  for (const auto& u : users) {
    out += u.email + "," + u.given_name + "," + u.family_name + "," + (u.active ? "yes" : "0") + "," + u.id + "\r\n";
  }
  return out;
}

IdpSnapshot pull_file(const std::string& path) {
  SourceSettings settings;
  settings.provider = "file";
  settings.url = path;
  return make_source(settings)->pull(nullptr);
}

std::string file_error(const std::string& path) {
  return error_of([&] { pull_file(path); });
}

}  // namespace

TEST_CASE("file: a SCIM ListResponse JSON with 10,000 users", "[sources]") {
  TempDir dir;
  check_population(pull_file(dir.write("users.json", scim_json(generate_users(10'000)))), 10'000);
  // Recognised by content too, whatever the name.
  check_population(pull_file(dir.write("export.txt", "  \n" + scim_json(generate_users(100)))), 100);
}

TEST_CASE("file: a CSV with 10,000 users", "[sources]") {
  TempDir dir;
  check_population(pull_file(dir.write("users.csv", csv(generate_users(10'000)))), 10'000);
}

TEST_CASE("file: CSV quoting, column order, active spellings, missing external_id", "[sources]") {
  TempDir dir;
  auto users = pull_file(dir.write("q.csv",
                                   "\xEF\xBB\xBF" "external_id,email,family_name,given_name,active\n"
                                   "x1,ann@example.com,\"Smith, Jr.\",\"Ann \"\"Annie\"\"\",true\n"
                                   ",bob@example.com,\"Multi\nLine\",Bob,no\n"
                                   "\n"
                                   "x3,cy@example.com,Doe,Cy,\n"))
                   .users;
  REQUIRE(users.size() == 3);
  CHECK(users[0].external_id == "x1");
  CHECK(users[0].family_name == "Smith, Jr.");
  CHECK(users[0].given_name == "Ann \"Annie\"");
  CHECK(users[0].active);
  CHECK(users[1].external_id == "bob@example.com");
  CHECK(users[1].family_name == "Multi\nLine");
  CHECK_FALSE(users[1].active);
  CHECK(users[2].active);  // empty = true
}

TEST_CASE("file: malformed files are source errors with a position", "[sources]") {
  TempDir dir;
  const std::string header = "email,given_name,family_name,active,external_id\n";
  CHECK_THAT(file_error(dir.write("a.csv", header + "a@x.com,A,B,true,1\n\"b@x.com,B,C,true,2\n")),
             Catch::Contains("unterminated quoted field at line 3"));
  CHECK_THAT(file_error(dir.write("b.csv", header + "a@x.com,A,B,maybe,1\n")),
             Catch::Contains("line 2: active is 'maybe'"));
  CHECK_THAT(file_error(dir.write("c.csv", header + "a@x.com,A,B\n")), Catch::Contains("line 2: 3 fields"));
  CHECK_THAT(file_error(dir.write("d.csv", header + "a@x.com,A\"x,B,true,1\n")),
             Catch::Contains("quote inside an unquoted field (quote the whole field) at line 2, column 10"));
  CHECK_THAT(file_error(dir.write("e.csv", "mail,name\nx,y\n")), Catch::Contains("no 'email' column"));
  CHECK_THAT(file_error(dir.write("f.json", "{\"totalResults\": 1,\n \"Resources\": [ {\"id\": \"1\", }\n]}")),
             Catch::Contains("malformed SCIM ListResponse"));
  CHECK_THAT(file_error(dir.write("g.json", "{\"totalResults\": 1,\n \"Resources\": [ {\"id\": \"1\", \"active\": 3}]}")),
             Catch::Contains("line 2"));
  CHECK_THAT(file_error(dir.file("missing.csv")), Catch::Contains("cannot open the file"));
}

TEST_CASE("csv reader: RFC 4180 records with line numbers", "[sources]") {
  auto records = read_csv("a,b\r\n\"x,\"\"y\"\"\",\"1\n2\"\r\nlast,\n", "t", "fix");
  REQUIRE(records.size() == 3);
  CHECK(records[1].fields == std::vector<std::string>{"x,\"y\"", "1\n2"});
  CHECK(records[2].line == 4);
  CHECK(records[2].fields == std::vector<std::string>{"last", ""});
}
