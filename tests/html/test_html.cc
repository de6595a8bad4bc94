// The HTML report as text: escaping, blocked banner, counts, determinism.
#include <catch2/catch.hpp>

#include <string>

#include "html_sample.h"
#include "jumpsync/core/plan_html.h"

using namespace jumpsync;
using jumpsync::html_testing::hostile_plan;

namespace {

size_t occurrences(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

HtmlContext sample_ctx() { return {"file /data/acme-users.json", "2026-12-04 20:13:18Z", 17}; }

}  // namespace

TEST_CASE("html_escape escapes the five HTML specials and nothing else", "[html]") {
  CHECK(html_escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  CHECK(html_escape("Dóra plain") == "Dóra plain");
  CHECK(html_escape("") == "");
}

TEST_CASE("IdP strings are escaped: no markup from names, emails or reasons", "[html]") {
  std::string html = render_html(hostile_plan(), sample_ctx());
  CHECK(html.find("<script>alert(1)</script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;") != std::string::npos);
  CHECK(html.find("<svg onload") == std::string::npos);
  CHECK(html.find("&quot;&gt;&lt;svg onload=document.title=&#39;pwned&#39;&gt;@acme.example") != std::string::npos);
  CHECK(html.find("O&#39;Neil &amp; Sons") != std::string::npos);
  // The page's own script is the only <script> element.
  CHECK(occurrences(html, "<script") == 1);
}

TEST_CASE("the header shows team, source, time and run, all escaped", "[html]") {
  Plan p = hostile_plan();
  p.team = "a<b>";
  std::string html = render_html(p, {"scim https://idp.example/scim/v2?x=<1>&y='2'", "2026-12-04 20:13:18Z", 17});
  CHECK(html.find("<title>jumpsync plan: team a&lt;b&gt; (blocked)</title>") != std::string::npos);
  CHECK(html.find("scim https://idp.example/scim/v2?x=&lt;1&gt;&amp;y=&#39;2&#39;") != std::string::npos);
  CHECK(html.find("2026-12-04 20:13:18Z") != std::string::npos);
  CHECK(html.find("#17") != std::string::npos);
  CHECK(render_html(p, {}).find("not recorded") != std::string::npos);
}

TEST_CASE("a blocked plan shows the reason and the exact confirm command", "[html]") {
  std::string html = render_html(hostile_plan(), sample_ctx());
  CHECK(html.find("id=\"blocked\"") != std::string::npos);
  CHECK(html.find("2 deactivations exceed 20% of the team&#39;s 5 managed active accounts") != std::string::npos);
  CHECK(html.find(">jumpsync apply --team acme --allow-deactivations 2</pre>") != std::string::npos);
  CHECK(html.find("jumpsync apply --plan plan.json") != std::string::npos);
  CHECK(html.find("jumpsync plan --team acme --format json --out plan.json") != std::string::npos);
}

TEST_CASE("a team name that is not one shell word is quoted in the commands", "[html]") {
  Plan p = hostile_plan();
  p.team = "it's ops";
  std::string html = render_html(p, sample_ctx());
  CHECK(html.find("jumpsync apply --team &#39;it&#39;\\&#39;&#39;s ops&#39; --allow-deactivations 2") !=
        std::string::npos);
}

TEST_CASE("an unblocked plan has no banner commands", "[html]") {
  Plan p = hostile_plan();
  p.blocked = false;
  p.block_reason.clear();
  std::string html = render_html(p, sample_ctx());
  CHECK(html.find("id=\"blocked\"") == std::string::npos);
  CHECK(html.find("--allow-deactivations") == std::string::npos);
  CHECK(html.find("not blocked") != std::string::npos);
  CHECK(html.find("(blocked)") == std::string::npos);
}

TEST_CASE("counts: chart bars, counts table and one row per action", "[html]") {
  std::string html = render_html(hostile_plan(), sample_ctx());
  CHECK(html.find("data-kind=\"create\" data-count=\"2\"") != std::string::npos);
  CHECK(html.find("data-kind=\"deactivate\" data-count=\"2\"") != std::string::npos);
  CHECK(html.find("data-kind=\"conflict\" data-count=\"1\"") != std::string::npos);
  CHECK(html.find("data-kind=\"noop\" data-count=\"3\"") != std::string::npos);
  CHECK(html.find("data-kind=\"relink\" data-count=\"0\"") != std::string::npos);
  CHECK(html.find("data-kind=\"unmanaged\" data-count=\"1\"") != std::string::npos);
  CHECK(html.find("data-count-of=\"adopt-pending\">1<") != std::string::npos);
  CHECK(occurrences(html, "<tr><td class=\"email\">") == 11);  // 10 actions + 1 unmanaged
  CHECK(html.find("<span class=\"yes\">yes</span>") != std::string::npos);
  // Sections in review order: deactivate, conflict, then the rest; noops collapsed.
  size_t d = html.find("id=\"kind-deactivate\""), c = html.find("id=\"kind-conflict\""),
         cr = html.find("id=\"kind-create\""), n = html.find("id=\"kind-noop\""), u = html.find("id=\"unmanaged\"");
  REQUIRE(d != std::string::npos);
  CHECK(d < c);
  CHECK(c < cr);
  CHECK(cr < n);
  CHECK(n < u);
  CHECK(html.find("id=\"kind-relink\"") == std::string::npos);  // empty kinds have no table
  CHECK(html.find("<details><summary>Show 3 unchanged users") != std::string::npos);
}

TEST_CASE("the page is self-contained and deterministic", "[html]") {
  Plan p = hostile_plan();
  std::string a = render_html(p, sample_ctx()), b = render_html(p, sample_ctx());
  CHECK(a == b);
  CHECK(a.find("http://") == a.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
  CHECK(a.find("https://") == std::string::npos);
  CHECK(a.find("src=\"") == std::string::npos);
  CHECK(a.find("Content-Security-Policy") != std::string::npos);
  CHECK(a.find("'unsafe-inline'; script-src 'sha256-") != std::string::npos);
  CHECK(a.find("id=\"filter\"") != std::string::npos);
  // Empty plan still renders a complete page.
  std::string e = render_html(Plan{}, {});
  CHECK(e.find("</html>") != std::string::npos);
  CHECK(e.find("None.") != std::string::npos);
}
