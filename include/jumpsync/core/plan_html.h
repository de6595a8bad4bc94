// HTML rendering of a plan: one self-contained page (inline CSS, a little
// inline JS, an inline SVG chart; no external assets, works offline) for an
// admin to review a dry run in a browser. Pure function, deterministic.
//
// Every string from the plan or the context is HTML-escaped; the page's
// Content-Security-Policy allows no network access, inline styles, and only
// the page's own script (by its SHA-256 hash), so even a markup string that
// slipped through could not run script. The page's script marks <body> with
// data-report-ready="1" once it has run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "jumpsync/core/model.h"

namespace jumpsync {

struct HtmlContext {
  std::string source;        // "file /path/users.csv", "scim https://...", "" if unknown
  std::string generated_at;  // time text shown as is, e.g. "2026-12-04 20:13:18Z"
  int64_t run_id = 0;        // 0: no recorded run
};

std::string render_html(const Plan& plan, const HtmlContext& ctx);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace jumpsync
