// HTML rendering of a plan: a self-contained review page (see plan_html.h).
#include "jumpsync/core/plan_html.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "jumpsync/core/fingerprint.h"
#include "jumpsync/core/plan_format.h"

namespace jumpsync {
namespace {

// Sections in the order an admin should read them: what removes access and
// what needs a person first, then the additive actions, noops last.
const std::array<ActionKind, 9> kDisplayOrder = {
    ActionKind::deactivate, ActionKind::conflict, ActionKind::create,     ActionKind::adopt,
    ActionKind::adopt_pending, ActionKind::relink, ActionKind::reactivate, ActionKind::update,
    ActionKind::noop,
};

const char* kind_color(ActionKind k) {
  switch (k) {
    case ActionKind::create: return "#2e7d32";
    case ActionKind::adopt: return "#00897b";
    case ActionKind::adopt_pending: return "#7b1fa2";
    case ActionKind::relink: return "#3949ab";
    case ActionKind::reactivate: return "#689f38";
    case ActionKind::update: return "#1e88e5";
    case ActionKind::deactivate: return "#c62828";
    case ActionKind::conflict: return "#e65100";
    case ActionKind::noop: return "#9e9e9e";
  }
  return "#9e9e9e";
}
constexpr const char* kUnmanagedColor = "#6d4c41";

const char* kind_hint(ActionKind k) {
  switch (k) {
    case ActionKind::create: return "New Jump accounts for users active in the IdP.";
    case ActionKind::adopt: return "Existing verified accounts that this team's SCIM takes over.";
    case ActionKind::adopt_pending:
      return "Unverified accounts outside a verified domain: a verification email is sent and the link "
             "completes once the owner verifies.";
    case ActionKind::relink: return "Accounts this team's SCIM managed before SCIM was re-enabled, linked again.";
    case ActionKind::reactivate: return "Deactivated managed accounts that the IdP assigns again.";
    case ActionKind::update: return "Managed accounts whose name or email changes to match the IdP.";
    case ActionKind::deactivate:
      return "Managed accounts that lose access: no longer assigned in the IdP, or inactive there. "
             "Accounts are deactivated, never deleted.";
    case ActionKind::conflict: return "Users jumpsync cannot act on safely. A person has to resolve these.";
    case ActionKind::noop: return "Already in step: nothing to do.";
  }
  return "";
}

std::string base64(const std::string& bytes) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    out += tbl[v >> 18 & 63];
    out += tbl[v >> 12 & 63];
    out += tbl[v >> 6 & 63];
    out += tbl[v & 63];
  }
  if (i + 1 == bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16;
    out += tbl[v >> 18 & 63];
    out += tbl[v >> 12 & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
    out += tbl[v >> 18 & 63];
    out += tbl[v >> 12 & 63];
    out += tbl[v >> 6 & 63];
    out += '=';
  }
  return out;
}

// CSP source for an inline script: 'sha256-BASE64'.
std::string script_hash(const std::string& script) {
  std::string hex = sha256_hex(script), raw;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return "'sha256-" + base64(raw) + "'";
}

// The team name as one shell word (quoted only when needed).
std::string shell_word(const std::string& s) {
  bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@' || c == '+';
  });
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string kind_id(ActionKind k) { return "kind-" + action_name(k); }

constexpr const char* kStyle = R"CSS(
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa;--card:#fff}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1200px;margin:0 auto;padding:24px}
header.top{background:#24292f;color:#fff;padding:20px 24px}
header.top .inner{max-width:1200px;margin:0 auto;padding:0 24px}
header.top h1{margin:0 0 10px;font-size:22px;font-weight:600}
header.top h1 .team{color:#9cdcfe}
dl.meta{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:6px 24px;margin:0}
dl.meta div{min-width:0}
dl.meta div.wide{grid-column:span 2}
@media (max-width:600px){dl.meta div.wide{grid-column:auto}}
dl.meta dt{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#adbac7}
dl.meta dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 20px}
.banner{border-radius:8px;padding:16px 20px;margin:0 0 20px;border:1px solid}
.banner.blocked{background:#fff1f0;border-color:#e5534b;border-left:6px solid #c62828}
.banner.ok{background:#eefbf0;border-color:#8ddb9d;border-left:6px solid #2e7d32}
.banner h2{margin:0 0 6px;font-size:18px}
.banner.blocked h2{color:#b42318}
.banner p{margin:6px 0}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
pre.cmd{background:#24292f;color:#f0f6fc;padding:10px 14px;border-radius:6px;margin:6px 0 10px;white-space:pre-wrap;overflow-wrap:anywhere}
.overview{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px;align-items:start}
@media (max-width:900px){.overview{grid-template-columns:1fr}}
.overview h2,.group h2{margin:0 0 8px;font-size:16px}
svg.chart{width:100%;height:auto;display:block}
svg.chart text{font:13px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#1f2328}
svg.chart text.zero{fill:#8c959f}
table{border-collapse:collapse;width:100%}
table.rows{table-layout:fixed}
td{overflow-wrap:anywhere}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);background:#f6f8fa}
td.email{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
td.id{color:var(--muted);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:hover{background:#f6f8fa}
.muted{color:var(--muted)}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;color:#fff}
.yes{display:inline-block;padding:0 6px;border-radius:4px;background:#fff4d6;color:#7a4d00;font-size:12px;font-weight:600}
.group{border-top:4px solid var(--kind)}
.group h2 .pill{background:var(--kind);margin-left:6px;vertical-align:1px}
.group.prominent{box-shadow:0 0 0 1px var(--kind) inset}
.group p.hint{margin:0 0 10px;color:var(--muted)}
.group .shown{margin-left:8px;font-size:12px;color:var(--muted);font-weight:400}
details summary{cursor:pointer;color:var(--muted);margin-bottom:8px}
.filter{position:sticky;top:0;z-index:1;display:flex;gap:12px;align-items:center;background:var(--bg);padding:10px 0;margin:0 0 10px}
.filter input{flex:1;max-width:520px;font:inherit;padding:7px 10px;border:1px solid var(--line);border-radius:6px}
.filter input:focus{outline:2px solid #0969da;border-color:#0969da}
footer{color:var(--muted);font-size:12px;margin:20px 0}
@media print{.filter{display:none}.group,.card{break-inside:avoid}}
)CSS";

constexpr const char* kScript = R"JS(
(function(){
var q=document.getElementById('filter'),n=document.getElementById('filter-count');
var groups=Array.prototype.slice.call(document.querySelectorAll('section.group'));
function apply(){
var t=q.value.trim().toLowerCase(),shown=0,total=0;
groups.forEach(function(g){
var rows=g.querySelectorAll('tbody tr'),vis=0;
Array.prototype.forEach.call(rows,function(r){var ok=!t||r.textContent.toLowerCase().indexOf(t)>=0;r.hidden=!ok;if(ok)vis++;});
total+=rows.length;shown+=vis;
g.hidden=t!==''&&vis===0;
var d=g.querySelector('details');if(d&&t&&vis)d.open=true;
var c=g.querySelector('.shown');if(c)c.textContent=t?(vis+' of '+rows.length+' shown'):'';
});
n.textContent=t?(shown+' of '+total+' rows match'):(total+' rows');
}
q.addEventListener('input',apply);
if(location.hash.indexOf('#filter=')===0)q.value=decodeURIComponent(location.hash.slice(8));
apply();
document.body.setAttribute('data-report-ready','1');
})();
)JS";

void chart(const Plan& plan, std::string& out) {
  auto counts = summarize(plan);
  struct Bar {
    std::string name;
    const char* color;
    int64_t count;
  };
  std::vector<Bar> bars;
  for (ActionKind k : kDisplayOrder) bars.push_back({action_name(k), kind_color(k), counts[action_name(k)]});
  bars.push_back({"unmanaged", kUnmanagedColor, counts["unmanaged"]});
  int64_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.count);

  const int label_w = 120, bar_w = 420, row_h = 28, width = label_w + bar_w + 80;
  const int height = static_cast<int>(bars.size()) * row_h + 8;
  out += "<svg class=\"chart\" role=\"img\" aria-label=\"Actions per kind\" viewBox=\"0 0 " + std::to_string(width) +
         " " + std::to_string(height) + "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  int y = 4;
  for (const auto& b : bars) {
    int w = b.count == 0 ? 0 : std::max<int>(2, static_cast<int>(b.count * bar_w / max));
    std::string ys = std::to_string(y), ty = std::to_string(y + 18);
    out += "<g class=\"bar\" data-kind=\"" + b.name + "\" data-count=\"" + std::to_string(b.count) + "\"><title>" +
           b.name + ": " + std::to_string(b.count) + "</title>";
    out += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + ty + "\" text-anchor=\"end\">" + b.name + "</text>";
    out += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + ys + "\" width=\"" + std::to_string(bar_w) +
           "\" height=\"22\" rx=\"3\" fill=\"#eef1f4\"/>";
    if (w > 0)
      out += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + ys + "\" width=\"" + std::to_string(w) +
             "\" height=\"22\" rx=\"3\" fill=\"" + b.color + "\"/>";
    out += "<text x=\"" + std::to_string(label_w + bar_w + 8) + "\" y=\"" + ty + "\"" +
           (b.count == 0 ? " class=\"zero\"" : "") + ">" + std::to_string(b.count) + "</text></g>\n";
    y += row_h;
  }
  out += "</svg>\n";
}

void counts_table(const Plan& plan, std::string& out) {
  auto counts = summarize(plan);
  out += "<table class=\"counts\"><thead><tr><th>Action</th><th class=\"num\">Users</th></tr></thead><tbody>\n";
  for (ActionKind k : kDisplayOrder) {
    std::string n = action_name(k);
    out += "<tr><td><a href=\"#" + kind_id(k) + "\">" + n + "</a></td><td class=\"num\" data-count-of=\"" + n +
           "\">" + std::to_string(counts[n]) + "</td></tr>\n";
  }
  out += "<tr><td><a href=\"#unmanaged\">unmanaged</a></td><td class=\"num\" data-count-of=\"unmanaged\">" +
         std::to_string(counts["unmanaged"]) + "</td></tr>\n";
  out += "<tr><th>total actions</th><th class=\"num\">" + std::to_string(plan.actions.size()) + "</th></tr>\n";
  out += "</tbody></table>\n";
}

void action_group(const Plan& plan, ActionKind kind, std::string& out) {
  std::vector<const Action*> rows;
  for (const Action& a : plan.actions)
    if (a.kind == kind) rows.push_back(&a);
  if (rows.empty()) return;
  std::stable_sort(rows.begin(), rows.end(), [](const Action* a, const Action* b) { return a->email < b->email; });
  bool prominent = kind == ActionKind::deactivate || kind == ActionKind::conflict;
  std::string name = action_name(kind);
  out += "<section class=\"card group" + std::string(prominent ? " prominent" : "") + "\" id=\"" + kind_id(kind) +
         "\" data-kind=\"" + name + "\" style=\"--kind:" + kind_color(kind) + "\">\n";
  out += "<h2>" + name + "<span class=\"pill\">" + std::to_string(rows.size()) + "</span><span class=\"shown\"></span></h2>\n";
  out += "<p class=\"hint\">" + html_escape(kind_hint(kind)) + "</p>\n";
  bool collapsed = kind == ActionKind::noop;
  if (collapsed) out += "<details><summary>Show " + std::to_string(rows.size()) + " unchanged users</summary>\n";
  out += "<table class=\"rows\"><colgroup><col style=\"width:27%\"><col style=\"width:20%\"><col style=\"width:9%\">"
         "<col style=\"width:12%\"><col></colgroup><thead><tr><th>Email</th><th>Name</th><th>IdP id</th>"
         "<th>Verification email</th><th>Reason</th></tr></thead><tbody>\n";
  for (const Action* a : rows) {
    std::string full = a->given_name;
    if (!a->family_name.empty()) full += (full.empty() ? "" : " ") + a->family_name;
    out += "<tr><td class=\"email\">" + html_escape(a->email) + "</td><td>" +
           (full.empty() ? std::string("<span class=\"muted\">&mdash;</span>") : html_escape(full)) +
           "</td><td class=\"id\">" + html_escape(a->external_id) + "</td><td>" +
           (a->verification_email ? "<span class=\"yes\">yes</span>" : "<span class=\"muted\">no</span>") +
           "</td><td>" + html_escape(a->reason) + "</td></tr>\n";
  }
  out += "</tbody></table>\n";
  if (collapsed) out += "</details>\n";
  out += "</section>\n";
}

void unmanaged_group(const Plan& plan, std::string& out) {
  std::vector<const UnmanagedMember*> rows;
  for (const auto& m : plan.unmanaged) rows.push_back(&m);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const UnmanagedMember* a, const UnmanagedMember* b) { return a->email < b->email; });
  out += "<section class=\"card group\" id=\"unmanaged\" data-kind=\"unmanaged\" style=\"--kind:" +
         std::string(kUnmanagedColor) + "\">\n";
  out += "<h2>Unmanaged members<span class=\"pill\">" + std::to_string(rows.size()) +
         "</span><span class=\"shown\"></span></h2>\n";
  out += "<p class=\"hint\">Team members this team's SCIM does not manage (invited by hand) and the IdP did not "
         "mention. jumpsync leaves them alone.</p>\n";
  if (rows.empty()) {
    out += "<p class=\"muted\">None.</p>\n</section>\n";
    return;
  }
  out += "<table class=\"rows\"><colgroup><col style=\"width:27%\"><col style=\"width:11%\"><col></colgroup>"
         "<thead><tr><th>Email</th><th>Account id</th><th>Reason</th></tr></thead><tbody>\n";
  for (const auto* m : rows)
    out += "<tr><td class=\"email\">" + html_escape(m->email) + "</td><td class=\"id\">" +
           std::to_string(m->account_id) + "</td><td>" + html_escape(m->reason) + "</td></tr>\n";
  out += "</tbody></table>\n</section>\n";
}

void banner(const Plan& plan, std::string& out) {
  int64_t deactivations = 0;
  for (const Action& a : plan.actions) deactivations += a.kind == ActionKind::deactivate;
  std::string team = shell_word(plan.team);
  if (!plan.blocked) {
    out += "<div class=\"banner ok\" id=\"guard\"><strong>Deactivation guard: not blocked.</strong> " +
           std::to_string(deactivations) + " deactivation" + (deactivations == 1 ? "" : "s") + " planned.</div>\n";
    return;
  }
  std::string confirm = "jumpsync apply --team " + team + " --allow-deactivations " + std::to_string(deactivations);
  out += "<div class=\"banner blocked\" id=\"blocked\" role=\"alert\">\n<h2>Blocked: nothing will be applied</h2>\n";
  out += "<p class=\"reason\">" + html_escape(plan.block_reason) + "</p>\n";
  out += "<p>If these " + std::to_string(deactivations) + " deactivation" + (deactivations == 1 ? "" : "s") +
         " are intended, confirm the exact count:</p>\n";
  out += "<pre class=\"cmd\" id=\"confirm-command\">" + html_escape(confirm) + "</pre>\n";
  out += "<p>Or apply exactly the plan you reviewed (refused if the team's accounts change in between):</p>\n";
  out += "<pre class=\"cmd\" id=\"saved-plan-command\">" +
         html_escape("jumpsync plan --team " + team + " --format json --out plan.json\njumpsync apply --plan plan.json") +
         "</pre>\n</div>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_html(const Plan& plan, const HtmlContext& ctx) {
  std::string team = html_escape(plan.team);
  std::string out;
  out.reserve(8192 + plan.actions.size() * 256);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "script-src " + script_hash(kScript) + "; base-uri 'none'; form-action 'none'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"jumpsync\">\n";
  out += "<title>jumpsync plan: team " + team + (plan.blocked ? " (blocked)" : "") + "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";

  out += "<header class=\"top\"><div class=\"inner\">\n<h1>Sync plan for team <span class=\"team\">" + team +
         "</span></h1>\n<dl class=\"meta\">\n";
  auto meta = [&](const std::string& label, const std::string& value_html, bool wide = false) {
    out += std::string(wide ? "<div class=\"wide\">" : "<div>") + "<dt>" + label + "</dt><dd>" + value_html + "</dd></div>\n";
  };
  meta("Source", ctx.source.empty() ? "unknown" : html_escape(ctx.source), true);
  meta("Generated", ctx.generated_at.empty() ? "unknown" : html_escape(ctx.generated_at));
  meta("Run", ctx.run_id ? "#" + std::to_string(ctx.run_id) : "not recorded");
  meta("SCIM epoch", std::to_string(plan.scim_epoch));
  meta("Fingerprint", "<span title=\"" + html_escape(plan.fingerprint) + "\">" +
                          html_escape(plan.fingerprint.substr(0, 16)) + (plan.fingerprint.size() > 16 ? "&hellip;" : "") +
                          "</span>");
  out += "</dl>\n</div></header>\n<main>\n";

  banner(plan, out);

  out += "<div class=\"card overview\">\n<div><h2>Actions</h2>\n";
  chart(plan, out);
  out += "</div>\n<div><h2>Counts</h2>\n";
  counts_table(plan, out);
  out += "</div>\n</div>\n";

  out += "<div class=\"filter\"><input id=\"filter\" type=\"search\" placeholder=\"Filter rows: email, name, id, "
         "reason\" aria-label=\"Filter rows\" autocomplete=\"off\"><span id=\"filter-count\" class=\"muted\"></span></div>\n";
  for (ActionKind k : kDisplayOrder) action_group(plan, k, out);
  unmanaged_group(plan, out);

  out += "<footer>Generated by jumpsync. Accounts are never deleted, only deactivated.</footer>\n";
  out += "</main>\n<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace jumpsync
