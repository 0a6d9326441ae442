#include "session_record.h"

#include "file_time.h"
#include "text.h"

namespace wts {

Napi::Object ToJs(Napi::Env env, const SessionRecord& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("id", Napi::Number::New(env, r.id));
  o.Set("stationName", ToJs(env, r.stationName));
  o.Set("state", Napi::Number::New(env, r.state));
  o.Set("userName", ToJs(env, r.userName));
  o.Set("domain", ToJs(env, r.domain));
  o.Set("protocol", Napi::Number::New(env, r.protocol));
  o.Set("clientName", ToJs(env, r.clientName));
  o.Set("clientAddressFamily", Napi::Number::New(env, r.clientAddressFamily));
  o.Set("clientAddress", ToJs(env, r.clientAddress));
  o.Set("connectTime", FileTimeToJs(env, r.connectTime));
  o.Set("disconnectTime", FileTimeToJs(env, r.disconnectTime));
  o.Set("lastInputTime", FileTimeToJs(env, r.lastInputTime));
  o.Set("logonTime", FileTimeToJs(env, r.logonTime));
  o.Set("currentTime", FileTimeToJs(env, r.currentTime));
  o.Set("isCurrent", Napi::Boolean::New(env, r.isCurrent));
  // Only on the rare partial record, so a complete one costs no array.
  if (!r.failures.empty()) {
    Napi::Array failures = Napi::Array::New(env, r.failures.size());
    for (size_t i = 0; i < r.failures.size(); ++i) {
      Napi::Object f = Napi::Object::New(env);
      f.Set("infoClass", Napi::Number::New(env, static_cast<double>(r.failures[i].infoClass)));
      f.Set("errno", Napi::Number::New(env, r.failures[i].code));
      failures.Set(static_cast<uint32_t>(i), f);
    }
    o.Set("failures", failures);
  }
  return o;
}

}  // namespace wts
