// Report output shared by the jobs: formats and --out.
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"
#include "jumpsync/core/plan_html.h"

namespace jumpsync {

std::string format_option(const ParsedArgs& args, const std::vector<std::string>& allowed) {
  std::string f = args.value_or("format", allowed.front());
  for (const auto& a : allowed)
    if (a == f) return f;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : "|") + a;
  throw usage_error("--format must be " + list + ", got '" + f + "'");
}

std::string render_plan(AppContext& ctx, const Plan& plan, const std::string& format, int64_t run_id) {
  if (format == "json") return render_json(plan) + "\n";
  if (format == "csv") return render_csv(plan);
  if (format == "html") {
    // Source and time come from the run journal, so `report --run ID` shows
    // the page the run itself would have shown.
    HtmlContext html;
    html.run_id = run_id;
    std::optional<RunRecord> run;
    if (run_id) run = ctx.store().find_run(run_id);
    if (run) html.source = run->source;
    std::time_t t = static_cast<std::time_t>(run ? run->started_at : ctx.now());
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", std::gmtime(&t));
    html.generated_at = buf;
    return render_html(plan, html);
  }
  return render_text(plan);
}

void emit_report(const ParsedArgs& args, const std::string& text) {
  auto out = args.value("out");
  if (!out) {
    std::cout << text;
    std::cout.flush();
    return;
  }
  // Write beside the target and rename, so a reader never sees half a report.
  std::string tmp = *out + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw usage_error("cannot write the report to " + *out);
    f << text;
    if (!f.flush()) throw usage_error("cannot write the report to " + *out);
  }
  std::filesystem::rename(tmp, *out);
}

}  // namespace jumpsync
