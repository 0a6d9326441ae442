// Argument checks at the native boundary. lib/ checks first with friendlier messages; these make sure that no
// call from JS, however wrong, can reach Windows with a value other than the one meant, or crash the process.
#pragma once

#include <napi.h>

#include <optional>
#include <string>

#include "win_api.h"

namespace wts {

// A session id: an integer from 0 to 0xFFFFFFFD (0xFFFFFFFE and 0xFFFFFFFF are the pseudo-ids
// WTS_ANY_SESSION and WTS_CURRENT_SESSION, never sent).
DWORD ReadSessionId(const Napi::CallbackInfo& info, size_t index);

// A server name, or nothing (undefined, null) for the local machine.
std::optional<std::u16string> ReadServer(const Napi::CallbackInfo& info, size_t index);

bool ReadBool(const Napi::CallbackInfo& info, size_t index);

// An integer from 0 to 0xFFFFFFFF.
DWORD ReadUint32(const Napi::CallbackInfo& info, size_t index);

// A string of at most 1 MiB of UTF-16 (message texts; lib/ sets tighter limits).
std::u16string ReadText(const Napi::CallbackInfo& info, size_t index);

}  // namespace wts
