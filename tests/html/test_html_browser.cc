// The HTML report in a real browser: Debian's headless Chromium loads the
// page from a file, runs its script under its own CSP, and dumps the DOM.
// Checks the counts and rows are there, the filter works, and no injected
// IdP string ran. Also writes BUILD_DIR/html-report.png for a person.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "html_sample.h"
#include "jumpsync/core/plan_html.h"

using namespace jumpsync;
namespace fs = std::filesystem;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "jumpsync-html-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void require_chromium() {
  if (access(kChromium, X_OK) != 0)
    FAIL("headless Chromium is missing (" << kChromium << "): run `JUMPSYNC_WITH_CHROMIUM=1 scripts/install-deps.sh`");
}

std::string chromium_command(const fs::path& profile, const std::string& args) {
  return std::string("timeout 120 ") + kChromium +
         " --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
         " --disable-sync --no-first-run --user-data-dir='" + profile.string() + "' " + args;
}

// Runs chromium --dump-dom on url; returns the serialized DOM.
std::string dump_dom(const TempDir& dir, const std::string& url) {
  fs::path profile = dir.path / ("profile-dom-" + std::to_string(std::hash<std::string>{}(url)));
  std::string cmd = chromium_command(profile, "--dump-dom '" + url + "' 2>'" + (dir.path / "chromium.log").string() + "'");
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 8192> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int rc = pclose(pipe);
  INFO("chromium exit status " << rc);
  REQUIRE(rc == 0);
  return out;
}

fs::path write_page(const TempDir& dir, const Plan& plan) {
  fs::path page = dir.path / "report.html";
  std::ofstream(page, std::ios::binary) << render_html(plan, {"file /data/acme users.json", "2026-12-04 20:13:18Z", 17});
  return page;
}

size_t occurrences(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("Chromium renders the report and runs no injected script", "[html][browser]") {
  require_chromium();
  TempDir dir;
  fs::path page = write_page(dir, html_testing::hostile_plan());
  std::string dom = dump_dom(dir, "file://" + page.string());
  INFO(dom.substr(dom.find("<body") == std::string::npos ? 0 : dom.find("<body"), 3000));
  REQUIRE(dom.find("</html>") != std::string::npos);

  // The page's own script ran (so the CSP hash is right) ...
  CHECK(dom.find("data-report-ready=\"1\"") != std::string::npos);
  // ... and nothing injected did: <body> carries only the page's marker.
  size_t body = dom.find("<body");
  REQUIRE(body != std::string::npos);
  CHECK(dom.substr(body, dom.find('>', body) + 1 - body) == "<body data-report-ready=\"1\">");
  CHECK(dom.find("data-pwned=\"") == std::string::npos);
  CHECK(dom.find("<title>jumpsync plan: team acme (blocked)</title>") != std::string::npos);
  CHECK(dom.find("pwned</title>") == std::string::npos);
  CHECK(dom.find("<img") == std::string::npos);
  CHECK(dom.find("<svg onload") == std::string::npos);
  CHECK(occurrences(dom, "<script") == 1);
  // The payloads are on the page as text.
  CHECK(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(dom.find("&lt;img src=x onerror=") != std::string::npos);

  // Counts (chart and table) and rows.
  CHECK(dom.find("data-kind=\"deactivate\" data-count=\"2\"") != std::string::npos);
  CHECK(dom.find("data-kind=\"create\" data-count=\"2\"") != std::string::npos);
  CHECK(dom.find("data-count-of=\"conflict\">1<") != std::string::npos);
  CHECK(dom.find("data-count-of=\"noop\">3<") != std::string::npos);
  for (const char* email : {"ann@acme.example", "ben@acme.example", "cora@acme.example", "dan@acme.example",
                            "finn@acme.example", "gus@partner.example", "hal@acme.example", "kim@acme.example"})
    CHECK(dom.find(std::string("<td class=\"email\">") + email + "</td>") != std::string::npos);
  CHECK(dom.find("jumpsync apply --team acme --allow-deactivations 2") != std::string::npos);
  CHECK(dom.find("<span id=\"filter-count\" class=\"muted\">11 rows</span>") != std::string::npos);
}

TEST_CASE("Chromium: the filter box hides rows that do not match", "[html][browser]") {
  require_chromium();
  TempDir dir;
  fs::path page = write_page(dir, html_testing::hostile_plan());
  // The page reads an initial filter from #filter=TEXT.
  std::string dom = dump_dom(dir, "file://" + page.string() + "#filter=cora");
  INFO(dom.substr(dom.find("<body") == std::string::npos ? 0 : dom.find("<body"), 3000));
  CHECK(dom.find("data-report-ready=\"1\"") != std::string::npos);
  CHECK(dom.find("1 of 11 rows match") != std::string::npos);
  CHECK(dom.find("<tr><td class=\"email\">cora@acme.example") != std::string::npos);
  CHECK(dom.find("<tr hidden=\"\"><td class=\"email\">dan@acme.example") != std::string::npos);
  CHECK(dom.find("id=\"kind-create\" data-kind=\"create\"") != std::string::npos);
  CHECK(occurrences(dom, "<tr hidden=\"\">") == 10);
}

TEST_CASE("Chromium: screenshot of the report for a person to look at", "[html][browser]") {
  require_chromium();
  TempDir dir;
  fs::path page = write_page(dir, html_testing::hostile_plan());
  fs::path png = fs::path(JUMPSYNC_HTML_BUILD_DIR) / "html-report.png";
  fs::remove(png);
  std::string cmd = chromium_command(dir.path / "profile-shot", "--hide-scrollbars --window-size=1280,2000 --screenshot='" +
                                                                    png.string() + "' 'file://" + page.string() +
                                                                    "' >/dev/null 2>&1");
  REQUIRE(std::system(cmd.c_str()) == 0);
  REQUIRE(fs::exists(png));
  std::ifstream f(png, std::ios::binary);
  char magic[8] = {};
  f.read(magic, 8);
  CHECK(std::string(magic + 1, 3) == "PNG");
  CHECK(fs::file_size(png) > 10000);
  WARN("screenshot: " << png.string());
}
