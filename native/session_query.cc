#include "session_query.h"

#include <cstring>

#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

constexpr const char* kQuery = "WTSQuerySessionInformationW";
constexpr USHORT kConsoleProtocol = 0;

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
  USHORT protocol = 0;
  {
    WtsMemory<USHORT> value;
    if (auto failure = Query(server, r.id, WTSClientProtocolType, value)) return failure;
    protocol = *value.Get();
    r.protocol = protocol;
  }
  // A console session has no remote client: one query fewer per session.
  if (protocol == kConsoleProtocol) return std::nullopt;
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
