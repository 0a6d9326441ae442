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
  std::memcpy(r.clientAddress.data(), c.ClientAddress, r.clientAddress.size());
  return std::nullopt;
}

Failure CurrentProcessSession(DWORD& sessionId) {
  if (!ProcessIdToSessionId(GetCurrentProcessId(), &sessionId)) return LastError("ProcessIdToSessionId");
  return std::nullopt;
}

}  // namespace wts
