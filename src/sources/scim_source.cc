// The scim source: GET {base}/Users with index or cursor paging (see
// providers.h for the rules).
#include <spdlog/spdlog.h>

#include <unordered_set>

#include "jumpsync/core/errors.h"
#include "jumpsync/sources/providers.h"
#include "jumpsync/sources/scim_json.h"

namespace jumpsync {
namespace {

constexpr int kDefaultPageSize = 100;
const char* const kBrokenPage = "the IdP sent a broken page; run the sync again, or report it to the IdP vendor";

// Users collected so far, deduplicated by id, in first-seen order.
class Collector {
 public:
  explicit Collector(std::string label) : label_(std::move(label)) {}
  // Returns how many users of `page` were new.
  size_t add(std::vector<IdpUser>& page, const std::string& where) {
    size_t fresh = 0;
    for (auto& user : page) {
      if (user.external_id.empty()) {
        throw source_error(label_ + ": " + where + " has a user without an id; " + kBrokenPage);
      }
      if (ids_.insert(user.external_id).second) {
        users_.push_back(std::move(user));
        ++fresh;
      }
    }
    ++pages_;
    return fresh;
  }
  std::vector<IdpUser> take() { return std::move(users_); }
  size_t size() const { return users_.size(); }
  int64_t pages() const { return pages_; }

 private:
  std::string label_;
  std::vector<IdpUser> users_;
  std::unordered_set<std::string> ids_;
  int64_t pages_ = 0;
};

// One HTTP session and one JSON parser: what a fetching thread needs.
struct PageFetcher {
  HttpClient client;
  ScimPageParser parser;
};

class ScimSource final : public IdpSource {
 public:
  ScimSource(SourceSettings settings, SourceOptions options)
      : settings_(std::move(settings)), options_(std::move(options)), redactor_(std::make_shared<Redactor>()) {
    while (!settings_.url.empty() && settings_.url.back() == '/') settings_.url.pop_back();
    redactor_->add(settings_.token.reveal());
    label_ = "scim source " + redact_url(settings_.url);
  }

  std::string describe() const override { return "scim " + redact_url(settings_.url); }

  IdpSnapshot pull(ProgressSink* progress) override {
    CheckedUrl base = check_url(settings_.url, label_);
    if (settings_.token.empty()) throw usage_error(label_ + ": no token set; " + token_hint("scim"));
    auto fetcher = make_fetcher(base.origin);
    Collector collector(label_);
    bool cursor = advertises_cursor(*fetcher);
    ScimPage first = fetch(*fetcher, cursor ? users_url("cursor=&count=" + std::to_string(page_size()))
                                            : index_url(1));
    if (cursor || first.next_cursor) {
      pull_cursor(*fetcher, std::move(first), collector, progress);
    } else {
      pull_index(base.origin, *fetcher, std::move(first), collector, progress);
    }
    spdlog::info("{}: pulled {} users in {} pages", label_, collector.size(), collector.pages());
    return IdpSnapshot{collector.take()};
  }

  std::vector<ConnectionCheck> test_connection() override;

 private:
  int page_size() const { return settings_.page_size > 0 ? settings_.page_size : kDefaultPageSize; }
  std::string users_url(const std::string& query) const { return settings_.url + "/Users?" + query; }
  std::string index_url(int64_t start) const {
    return users_url("startIndex=" + std::to_string(start) + "&count=" + std::to_string(page_size()));
  }
  HttpHeaders auth() const { return {{"Authorization", "Bearer " + settings_.token.reveal()}}; }

  std::unique_ptr<PageFetcher> make_fetcher(const Origin& origin) const {
    return std::unique_ptr<PageFetcher>(new PageFetcher{
        HttpClient(origin, label_, http_options(settings_, options_), clock_of(options_), redactor_), {}});
  }

  ScimPage fetch(PageFetcher& fetcher, const std::string& url) {
    HttpResponse response = fetcher.client.send({"GET", url, auth(), {}, {}});
    if (response.status == 400) {
      std::string code = error_code(response);
      if (code == "invalidCursor" || code == "expiredCursor") {
        throw source_error(label_ + ": the paging cursor was refused (" + code + "); run the sync again");
      }
    }
    expect_json(response, label_, url, token_hint("scim"), *redactor_);
    return fetcher.parser.parse(response.body, label_ + ": GET " + redact_url(url), kBrokenPage);
  }

  // ServiceProviderConfig.pagination.cursor == true. Any failure: no.
  bool advertises_cursor(PageFetcher& fetcher) {
    const std::string url = settings_.url + "/ServiceProviderConfig";
    try {
      HttpResponse response = fetcher.client.send({"GET", url, auth(), {}, {}});
      if (response.status != 200 || !response.is_json()) return false;
      // A tiny document: a substring test on the normalised form is enough
      // for "pagination": {"cursor": true ...}.
      std::string compact;
      for (char c : response.body) {
        if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
      }
      auto at = compact.find("\"pagination\":{");
      if (at == std::string::npos) return false;
      auto end = compact.find('}', at);
      return compact.substr(at, end - at).find("\"cursor\":true") != std::string::npos;
    } catch (const Error& e) {
      spdlog::debug("{}: no ServiceProviderConfig ({}); using index paging", label_, e.what());
      return false;
    }
  }

  void check_total(const ScimPage& page, int64_t total, const std::string& where) const {
    if (page.total_results && *page.total_results != total) {
      throw source_error(label_ + ": inconsistent list: totalResults changed from " + std::to_string(total) +
                         " to " + std::to_string(*page.total_results) + " at " + where +
                         " (users were added or removed during the pull); run the sync again");
    }
  }

  void pull_index(const Origin& origin, PageFetcher& fetcher, ScimPage first, Collector& collector,
                  ProgressSink* progress);
  void fetch_window(const Origin& origin, std::vector<std::unique_ptr<PageFetcher>>& workers,
                    const std::vector<int64_t>& starts, std::vector<ScimPage>& pages);
  void pull_cursor(PageFetcher& fetcher, ScimPage first, Collector& collector, ProgressSink* progress);

  SourceSettings settings_;
  SourceOptions options_;
  std::shared_ptr<Redactor> redactor_;
  std::string label_;
};

void ScimSource::fetch_window(const Origin& origin, std::vector<std::unique_ptr<PageFetcher>>& workers,
                              const std::vector<int64_t>& starts, std::vector<ScimPage>& pages) {
  while (workers.size() < starts.size()) workers.push_back(make_fetcher(origin));
  pages.assign(starts.size(), ScimPage{});
  parallel_for(starts.size(), static_cast<int>(starts.size()),
               [&](size_t, size_t i) { pages[i] = fetch(*workers[i], index_url(starts[i])); });
}

void ScimSource::pull_index(const Origin& origin, PageFetcher& fetcher, ScimPage first, Collector& collector,
                            ProgressSink* progress) {
  if (!first.total_results) {
    throw source_error(label_ + ": the first page has no totalResults; the server is not a SCIM 2.0 server or is "
                       "broken; check the URL");
  }
  const int64_t total = *first.total_results;
  const int64_t step = static_cast<int64_t>(first.users.size());
  int64_t next = 1 + step;
  collector.add(first.users, "the page at startIndex=1");
  if (progress) progress->pulled(collector.pages(), static_cast<int64_t>(collector.size()), total);
  bool concurrent = options_.concurrency > 1 && step > 0;
  std::vector<std::unique_ptr<PageFetcher>> workers;
  while (step > 0 && next <= total) {
    std::vector<int64_t> starts;
    for (int64_t s = next; s <= total && static_cast<int>(starts.size()) < (concurrent ? options_.concurrency : 1);
         s += step) {
      starts.push_back(s);
    }
    std::vector<ScimPage> pages;
    if (concurrent) {
      fetch_window(origin, workers, starts, pages);
    } else {
      pages.push_back(fetch(fetcher, index_url(next)));
    }
    for (size_t i = 0; i < pages.size(); ++i) {
      const std::string where = "the page at startIndex=" + std::to_string(starts[i]);
      check_total(pages[i], total, where);
      const int64_t received = static_cast<int64_t>(pages[i].users.size());
      if (received == 0) {
        next = total + 1;  // an empty page ends the list
        break;
      }
      if (collector.add(pages[i].users, where) == 0) {
        throw source_error(label_ + ": paging loop: " + where + " repeated only users already received; the "
                           "server's paging is broken; report it to the IdP vendor");
      }
      next = starts[i] + received;
      if (progress) progress->pulled(collector.pages(), static_cast<int64_t>(collector.size()), total);
      if (received < step && next <= total) {  // a short page: the planned starts are off; go on one by one
        concurrent = false;
        break;
      }
    }
  }
  if (static_cast<int64_t>(collector.size()) != total) {
    throw source_error(label_ + ": inconsistent list: totalResults is " + std::to_string(total) + " but " +
                       std::to_string(collector.size()) + " distinct users were received; run the sync again");
  }
}

void ScimSource::pull_cursor(PageFetcher& fetcher, ScimPage first, Collector& collector, ProgressSink* progress) {
  std::optional<int64_t> total = first.total_results;
  std::unordered_set<std::string> cursors;
  ScimPage page = std::move(first);
  for (std::string where = "the first page";;) {
    if (total) check_total(page, *total, where);
    size_t received = page.users.size();
    if (collector.add(page.users, where) == 0 && received > 0) {
      throw source_error(label_ + ": paging loop: " + where + " repeated only users already received; report it "
                         "to the IdP vendor");
    }
    if (progress) progress->pulled(collector.pages(), static_cast<int64_t>(collector.size()), total.value_or(-1));
    if (!page.next_cursor || page.next_cursor->empty()) break;
    if (!cursors.insert(*page.next_cursor).second) {
      throw source_error(label_ + ": paging loop: the server sent the same nextCursor twice; report it to the IdP "
                         "vendor");
    }
    where = "the page after cursor #" + std::to_string(cursors.size());
    page = fetch(fetcher, users_url("cursor=" + url_encode(*page.next_cursor) + "&count=" +
                                    std::to_string(page_size())));
  }
  if (total && static_cast<int64_t>(collector.size()) != *total) {
    throw source_error(label_ + ": inconsistent list: totalResults is " + std::to_string(*total) + " but " +
                       std::to_string(collector.size()) + " distinct users were received; run the sync again");
  }
}

std::vector<ConnectionCheck> ScimSource::test_connection() {
  std::optional<CheckedUrl> base;
  std::unique_ptr<PageFetcher> fetcher;
  ScimPage page;
  return run_checks({
      {"url", [&] {
         base = check_url(settings_.url, label_);
         return "SCIM base " + redact_url(settings_.url);
       }},
      {"tls", [&] {
         fetcher = make_fetcher(base->origin);
         HttpResponse r = fetcher->client.send_once({"GET", settings_.url + "/ServiceProviderConfig", {}, {}, {}});
         return "reached " + base->origin.str() + (base->origin.scheme == "https" ? " (certificate verified)" : "") +
                ", HTTP " + std::to_string(r.status);
       }},
      {"credentials", [&] {
         if (settings_.token.empty()) throw usage_error("no token set; " + token_hint("scim"));
         page = fetch(*fetcher, users_url("startIndex=1&count=1"));
         return std::string("token accepted");
       }},
      {"permissions", [&] {
         if (page.users.empty()) return std::string("the token can list users; no user is assigned yet");
         return "read users: " + std::to_string(page.total_results.value_or(1)) + " assigned";
       }},
  });
}

}  // namespace

std::unique_ptr<IdpSource> make_scim_source(const SourceSettings& settings, const SourceOptions& options) {
  return std::make_unique<ScimSource>(settings, options);
}

}  // namespace jumpsync
