// A listing's records stay native until JS takes them in slices (takeSessions), so that turning 10,000 sessions into
// JS objects happens in small steps between which the event loop runs, not in one long stall.
#pragma once

#include <napi.h>

#include <vector>

#include "session_record.h"

namespace wts {

// At most this many records come back inline, as one slice; more stay native until taken.
constexpr size_t kInlineRecords = 64;

// { handle, length }: `handle` is a type-tagged External owning the records (freed when collected); or, for at most
// kInlineRecords, { records, length } with the records themselves.
Napi::Object WrapSessionList(Napi::Env env, std::vector<SessionRecord>&& records);

// (handle, start, count) -> the records [start, start + count) as RawSession objects.
Napi::Value TakeSessions(const Napi::CallbackInfo& info);

}  // namespace wts
