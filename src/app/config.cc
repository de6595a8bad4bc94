#include "jumpsync/app/config.h"

#include <unistd.h>

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <cstdlib>
#include <filesystem>

#include "jumpsync/core/errors.h"

namespace jumpsync {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

void read_file(const std::string& path, AppConfig& cfg) {
  if (!std::filesystem::exists(path)) throw usage_error("config file " + path + " does not exist");
  try {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(new Poco::Util::PropertyFileConfiguration(path));
    Poco::Util::AbstractConfiguration::Keys keys;
    std::vector<std::string> stack{""};
    while (!stack.empty()) {
      std::string prefix = stack.back();
      stack.pop_back();
      file->keys(prefix, keys);
      for (const auto& k : keys) {
        std::string full = prefix.empty() ? k : prefix + "." + k;
        if (file->hasProperty(full)) cfg.raw[full] = file->getString(full);
        stack.push_back(full);
      }
    }
  } catch (const Poco::Exception& e) {
    throw usage_error("cannot read config file " + path + ": " + e.displayText());
  }
}

// Settings that adapters read from AppConfig::raw by config key: the
// environment variable beats the config file. One table, so every adapter
// gets the same precedence without reading the environment itself.
const std::pair<const char*, const char*> kEnvOverrides[] = {
    {"JUMPSYNC_SMTP_HOST", "smtp.host"},
    {"JUMPSYNC_SMTP_PORT", "smtp.port"},
    {"JUMPSYNC_SMTP_STARTTLS", "smtp.starttls"},
    {"JUMPSYNC_SMTP_CA_FILE", "smtp.ca_file"},
    {"JUMPSYNC_SMTP_USER", "smtp.user"},
    {"JUMPSYNC_SMTP_FROM", "smtp.from"},
    {"JUMPSYNC_SMTP_HELO", "smtp.helo"},
    {"JUMPSYNC_HTTP_RETRY_BUDGET_MS", "http.retry_budget_ms"},
    {"JUMPSYNC_HTTP_MAX_ATTEMPTS", "http.max_attempts"},
    {"JUMPSYNC_HTTP_READ_TIMEOUT_MS", "http.read_timeout_ms"},
};

}  // namespace

AppConfig load_config(const GlobalFlags& flags) {
  AppConfig cfg;
  std::string config_path = !flags.config.empty() ? flags.config : env("JUMPSYNC_CONFIG");
  if (!config_path.empty()) read_file(config_path, cfg);
  for (const auto& [env_name, key] : kEnvOverrides)
    if (!env(env_name).empty()) cfg.raw[key] = env(env_name);
  auto pick = [&](std::string& field, const std::string& flag, const char* env_name, const char* key) {
    if (!flag.empty()) {
      field = flag;
    } else if (!env(env_name).empty()) {
      field = env(env_name);
    } else if (key && cfg.raw.count(key)) {
      field = cfg.raw[key];
    }
  };
  pick(cfg.db_url, flags.db, "JUMPSYNC_DB", "db");
  pick(cfg.log_format, flags.log_format, "JUMPSYNC_LOG_FORMAT", "log_format");
  pick(cfg.public_url, "", "JUMPSYNC_PUBLIC_URL", "public_url");
  pick(cfg.secret_key_file, "", "JUMPSYNC_SECRET_KEY_FILE", "secret_key_file");
  pick(cfg.worker, "", "JUMPSYNC_WORKER", "worker");
  if (!env("JUMPSYNC_SECRET_KEY").empty()) cfg.secret_key_hex = Secret(env("JUMPSYNC_SECRET_KEY"));
  if (cfg.secret_key_file.empty()) {
    std::string base = env("XDG_CONFIG_HOME");
    if (base.empty()) base = env("HOME").empty() ? "." : env("HOME") + "/.config";
    cfg.secret_key_file = base + "/jumpsync/secret.key";
  }
  if (cfg.worker.empty()) {
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    cfg.worker = std::string(host) + ":" + std::to_string(getpid());
  }
  if (cfg.log_format != "text" && cfg.log_format != "json")
    throw usage_error("--log-format must be text or json, got '" + cfg.log_format + "'");
  return cfg;
}

}  // namespace jumpsync
