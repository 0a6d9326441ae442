#include "session_query.h"

#include <cstring>

#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

constexpr const char* kQuery = "WTSQuerySessionInformationW";
constexpr int32_t kConsoleProtocol = 0;
constexpr int32_t kRdpProtocol = 2;
constexpr int32_t kUnknownProtocol = -1;
// AF_INET and AF_INET6, without pulling in winsock for two numbers.
constexpr DWORD kAfInet = 2;
constexpr DWORD kAfInet6 = 23;

// The protocol the station name already tells (saving a round trip per session, which counts on a remote server):
// the physical console and session 0 are console sessions, and sessions of the built-in RDP-Tcp listener speak
// RDP. Any other name (empty for a disconnected session, a custom listener, Citrix) is asked for.
int32_t ProtocolFromStation(const std::u16string& station) {
  if (station == u"Console" || station == u"Services") return kConsoleProtocol;
  if (station == u"RDP-Tcp" || station.rfind(u"RDP-Tcp#", 0) == 0) return kRdpProtocol;
  return kUnknownProtocol;
}

// Queries one information class into a WTS-owned buffer, checking that it holds at least a T: a short answer
// must never be read past its end.
template <typename T>
Failure Query(HANDLE server, DWORD sessionId, WTS_INFO_CLASS infoClass, WtsMemory<T>& buffer) {
  DWORD bytes = 0;
  if (!WTSQuerySessionInformationW(server, sessionId, infoClass, buffer.OutWide(), &bytes)) {
    return LastError(kQuery, sessionId);
  }
  if (buffer.Get() == nullptr || bytes < sizeof(T)) return Win32Failure{ERROR_INVALID_DATA, kQuery, sessionId};
  return std::nullopt;
}

// WTSCLIENTW.ClientAddress in the two forms Windows documents: for AF_INET the address as UTF-16 text in the USHORT
// array, for AF_INET6 its 16 bytes (given here as 32 hex digits). lib/client-address.ts checks and formats both.
std::u16string ClientAddressText(const WTSCLIENTW& client) {
  std::u16string text;
  if (client.ClientAddressFamily == kAfInet) {
    for (USHORT unit : client.ClientAddress) {
      if (unit == 0) break;
      text.push_back(static_cast<char16_t>(unit));
    }
  } else if (client.ClientAddressFamily == kAfInet6) {
    static const char16_t kHex[] = u"0123456789abcdef";
    const auto* bytes = reinterpret_cast<const BYTE*>(client.ClientAddress);
    for (size_t i = 0; i < 16; ++i) {
      text.push_back(kHex[bytes[i] >> 4]);
      text.push_back(kHex[bytes[i] & 0xF]);
    }
  }
  return text;
}

}  // namespace

Failure QuerySession(HANDLE server, SessionRecord& r, bool withStation) {
  {
    WtsMemory<WTSINFOW> info;
    if (auto failure = Query(server, r.id, WTSSessionInfo, info)) return failure;
    const WTSINFOW& i = *info.Get();
    if (withStation) {
      r.stationName = FromFixed(i.WinStationName);
      r.state = static_cast<DWORD>(i.State);
    }
    r.userName = FromFixed(i.UserName);
    r.domain = FromFixed(i.Domain);
    r.connectTime = i.ConnectTime;
    r.disconnectTime = i.DisconnectTime;
    r.lastInputTime = i.LastInputTime;
    r.logonTime = i.LogonTime;
    r.currentTime = i.CurrentTime;
  }
  r.protocol = ProtocolFromStation(r.stationName);
  if (r.protocol == kUnknownProtocol) {
    WtsMemory<USHORT> value;
    if (auto failure = Query(server, r.id, WTSClientProtocolType, value)) return failure;
    r.protocol = *value.Get();
  }
  // A console session has no remote client: one query fewer per session.
  if (r.protocol == kConsoleProtocol) return std::nullopt;
  WtsMemory<WTSCLIENTW> client;
  if (auto failure = Query(server, r.id, WTSClientInfo, client)) return failure;
  const WTSCLIENTW& c = *client.Get();
  r.clientName = FromFixed(c.ClientName);
  r.clientAddressFamily = c.ClientAddressFamily;
  r.clientAddress = ClientAddressText(c);
  return std::nullopt;
}

Failure CurrentProcessSession(DWORD& sessionId) {
  if (!ProcessIdToSessionId(GetCurrentProcessId(), &sessionId)) return LastError("ProcessIdToSessionId");
  return std::nullopt;
}

}  // namespace wts
