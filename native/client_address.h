// The client address in every form Windows is known to report it (docs/windows-behaviour.md, "Client address").
#pragma once

#include <optional>
#include <string>

#include "win_api.h"

namespace wts {

// AF_INET and AF_INET6, without pulling in winsock for two numbers.
constexpr DWORD kAfInet = 2;
constexpr DWORD kAfInet6 = 23;

// What the addon hands to JS: AF_INET with dotted-decimal text, AF_INET6 with its 16 bytes as 32 hex digits, or
// family 0 and "" when the address is unknown. lib/client-address.ts formats it.
struct ClientAddress {
  DWORD family = 0;
  std::u16string text;
};

// WTSCLIENTW.ClientAddress of an AF_INET client, in either form sources describe: UTF-16 text (Microsoft's WTSCLIENTW
// page) or one octet per USHORT (what osquery, gowin32 and winsession read on real machines). The two cannot be
// confused: text needs at least 7 non-zero units, the octet form has zeros from the fifth on. Nothing when neither
// form fits, or the address is 0.0.0.0: the caller then asks WTSClientAddress instead of guessing.
std::optional<ClientAddress> FromClientInfoIpv4(const USHORT (&units)[CLIENTADDRESS_LENGTH + 1]);

// WTS_CLIENT_ADDRESS (the WTSClientAddress query): the address starts at Address[2] for both families (Microsoft's
// corrected page, psutil, Cassia, gowin32, pywin32 #664). Family 0 for anything else or an all-zero address.
ClientAddress FromClientAddress(const WTS_CLIENT_ADDRESS& address);

}  // namespace wts
