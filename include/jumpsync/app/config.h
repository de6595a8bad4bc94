// Settings of one jumpsync invocation. Precedence, highest first:
// command-line flag > environment variable > config file > default.
//
//   setting          flag            env                        config key
//   database URL     --db            JUMPSYNC_DB                db
//   log format       --log-format    JUMPSYNC_LOG_FORMAT        log_format
//   config file      --config        JUMPSYNC_CONFIG            -
//   public URL       -               JUMPSYNC_PUBLIC_URL        public_url
//   secret key       -               JUMPSYNC_SECRET_KEY        -   (64 hex chars)
//   secret key file  -               JUMPSYNC_SECRET_KEY_FILE   secret_key_file
//   worker name      -               JUMPSYNC_WORKER            worker
//   smtp.*           -               JUMPSYNC_SMTP_PASSWORD     smtp.host smtp.port smtp.starttls
//                                                               smtp.user smtp.password_file smtp.from
// The config file is a Java-style properties file (key = value).
#pragma once

#include <map>
#include <string>

#include "jumpsync/core/secret.h"

namespace jumpsync {

struct AppConfig {
  std::string db_url = "sqlite:jumpsync.db";
  std::string log_format = "text";  // text | json
  std::string public_url = "http://localhost:8080";
  Secret secret_key_hex;            // from JUMPSYNC_SECRET_KEY
  std::string secret_key_file;      // default: ~/.config/jumpsync/secret.key
  std::string worker;               // default: hostname:pid
  // Every config-file key, for adapters (smtp.*, http.*), with the matching
  // JUMPSYNC_SMTP_* / JUMPSYNC_HTTP_* environment variables applied on top.
  std::map<std::string, std::string> raw;
};

struct GlobalFlags {
  std::string db, config, log_format;
};

AppConfig load_config(const GlobalFlags& flags);

}  // namespace jumpsync
