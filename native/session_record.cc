#include "session_record.h"

#include "file_time.h"
#include "text.h"

namespace wts {

namespace {

// In the order ToJs fills them.
constexpr const char* kNames[RecordKeys::kCount] = {
    "id",         "stationName",         "state",         "userName",    "domain",         "protocol",
    "clientName", "clientAddressFamily", "clientAddress", "connectTime", "disconnectTime", "lastInputTime",
    "logonTime",  "currentTime",         "isCurrent",     "lockState"};

}  // namespace

RecordKeys::RecordKeys(Napi::Env env) {
  for (size_t i = 0; i < kCount; ++i) keys_[i] = Napi::String::New(env, kNames[i]);
}

Napi::Object ToJs(Napi::Env env, const SessionRecord& r, const RecordKeys& keys) {
  const napi_value values[RecordKeys::kCount] = {
      Napi::Number::New(env, r.id),
      ToJs(env, r.stationName),
      Napi::Number::New(env, r.state),
      ToJs(env, r.userName),
      ToJs(env, r.domain),
      Napi::Number::New(env, r.protocol),
      ToJs(env, r.clientName),
      Napi::Number::New(env, r.clientAddressFamily),
      ToJs(env, r.clientAddress),
      FileTimeToJs(env, r.connectTime),
      FileTimeToJs(env, r.disconnectTime),
      FileTimeToJs(env, r.lastInputTime),
      FileTimeToJs(env, r.logonTime),
      FileTimeToJs(env, r.currentTime),
      Napi::Boolean::New(env, r.isCurrent),
      Napi::Number::New(env, r.lockState),
  };
  napi_property_descriptor properties[RecordKeys::kCount];
  for (size_t i = 0; i < RecordKeys::kCount; ++i) {
    properties[i] = {nullptr, keys[i], nullptr, nullptr, nullptr, values[i], napi_default_jsproperty, nullptr};
  }
  Napi::Object o = Napi::Object::New(env);
  NAPI_THROW_IF_FAILED(env, napi_define_properties(env, o, RecordKeys::kCount, properties), Napi::Object());
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
