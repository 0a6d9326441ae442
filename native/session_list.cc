#include "session_list.h"

#include <algorithm>

#include "args.h"

namespace wts {

namespace {

using SessionList = std::vector<SessionRecord>;

// Tags the External, so that no other value can be passed off as a session list (and read as one).
constexpr napi_type_tag kSessionListTag = {0x5c6f1e2d7a4b4c39ULL, 0x9e1f0a6b3d2c8e57ULL};

}  // namespace

Napi::Object WrapSessionList(Napi::Env env, std::vector<SessionRecord>&& records) {
  // A short listing comes back whole: one slice, without a round trip through takeSessions.
  if (records.size() <= kInlineRecords) {
    const RecordKeys keys(env);
    Napi::Array array = Napi::Array::New(env, records.size());
    for (size_t i = 0; i < records.size(); ++i) array.Set(static_cast<uint32_t>(i), ToJs(env, records[i], keys));
    Napi::Object result = Napi::Object::New(env);
    result.Set("records", array);
    result.Set("length", Napi::Number::New(env, static_cast<double>(records.size())));
    return result;
  }
  auto* list = new SessionList(std::move(records));
  auto handle = Napi::External<SessionList>::New(env, list, [](Napi::Env, SessionList* owned) { delete owned; });
  handle.TypeTag(&kSessionListTag);
  Napi::Object result = Napi::Object::New(env);
  result.Set("handle", handle);
  result.Set("length", Napi::Number::New(env, static_cast<double>(list->size())));
  return result;
}

Napi::Value TakeSessions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsExternal() || !info[0].As<Napi::External<SessionList>>().CheckTypeTag(&kSessionListTag)) {
    throw Napi::TypeError::New(env, "expected a session list from listSessions");
  }
  const SessionList& list = *info[0].As<Napi::External<SessionList>>().Data();
  const size_t start = std::min<size_t>(ReadUint32(info, 1), list.size());
  const size_t end = std::min<size_t>(start + ReadUint32(info, 2), list.size());
  Napi::Array slice = Napi::Array::New(env, end - start);
  const RecordKeys keys(env);
  for (size_t i = start; i < end; ++i) slice.Set(static_cast<uint32_t>(i - start), ToJs(env, list[i], keys));
  return slice;
}

}  // namespace wts
