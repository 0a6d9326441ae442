#include "session_query.h"

#include <atomic>

#include "client_address.h"
#include "lock_state.h"
#include "session_info_ex.h"
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
Failure Query(HANDLE server, DWORD sessionId, WTS_INFO_CLASS infoClass, WtsMemory<T>& buffer, DWORD* size = nullptr) {
  DWORD bytes = 0;
  if (!WTSQuerySessionInformationW(server, sessionId, infoClass, buffer.OutWide(), &bytes)) {
    return LastError(kQuery, sessionId);
  }
  if (buffer.Get() == nullptr || bytes < sizeof(T)) return Win32Failure{ERROR_INVALID_DATA, kQuery, sessionId};
  if (size != nullptr) *size = bytes;
  return std::nullopt;
}

// A string class (WTSUserName, WTSDomainName): up to the first NUL, never past the bytes returned.
Failure QueryText(HANDLE server, DWORD sessionId, WTS_INFO_CLASS infoClass, std::u16string& text) {
  WtsMemory<WCHAR> buffer;
  DWORD bytes = 0;
  if (auto failure = Query(server, sessionId, infoClass, buffer, &bytes)) return failure;
  const size_t capacity = bytes / sizeof(WCHAR);
  size_t length = 0;
  while (length < capacity && buffer[length] != L'\0') ++length;
  text.assign(reinterpret_cast<const char16_t*>(buffer.Get()), length);
  return std::nullopt;
}

// WTSINFOW has room for 20 characters of a user name and 17 of a domain. A field that is full, or one short of full
// (in case Windows keeps a terminator when it cuts), may hold the start of a longer name, which the guards would
// then compare: the whole name is asked for. If that fails, the name is unknown, not the cut one. Windows also keeps
// a SAM-compatible form apart from the long one (MS-TSTS WINSTATIONINFORMATIONEX_LEVEL2): an answer that does not
// continue the field is the other form of the name, and which one the field holds whole is unknown, so neither is
// reported (ERROR_INVALID_DATA, as for any answer that cannot be read).
void CompleteName(HANDLE server, SessionRecord& r, std::u16string& name, size_t mayBeCutAt, WTS_INFO_CLASS infoClass) {
  if (name.size() < mayBeCutAt) return;
  std::u16string whole;
  auto failure = QueryText(server, r.id, infoClass, whole);
  if (!failure && whole.compare(0, name.size(), name) != 0) failure = Win32Failure{ERROR_INVALID_DATA, kQuery, r.id};
  if (failure) {
    name.clear();
    r.failures.push_back({infoClass, failure->code});
    return;
  }
  name = std::move(whole);
}

// Sessions without a remote client are not asked for one: session 0, listeners and console sessions.
bool MayHaveClient(const SessionRecord& r) {
  return r.id != 0 && r.state != WTSListen && r.protocol != kConsoleProtocol;
}

// Client name from WTSCLIENTW; the address from it where its form is certain (IPv4, text or octets), otherwise from
// the better-evidenced WTSClientAddress query (always for IPv6, whose WTSCLIENTW form sources disagree on).
void QueryClient(HANDLE server, SessionRecord& r) {
  bool askAddress = false;
  {
    WtsMemory<WTSCLIENTW> client;
    if (auto failure = Query(server, r.id, WTSClientInfo, client)) {
      r.failures.push_back({WTSClientInfo, failure->code});
      return;
    }
    const WTSCLIENTW& c = *client.Get();
    r.clientName = FromFixed(c.ClientName);
    if (c.ClientAddressFamily == kAfInet) {
      if (auto address = FromClientInfoIpv4(c.ClientAddress)) {
        r.clientAddressFamily = address->family;
        r.clientAddress = std::move(address->text);
      } else {
        askAddress = true;
      }
    } else {
      askAddress = c.ClientAddressFamily == kAfInet6;
    }
  }
  if (!askAddress) return;
  WtsMemory<WTS_CLIENT_ADDRESS> value;
  if (auto failure = Query(server, r.id, WTSClientAddress, value)) {
    r.failures.push_back({WTSClientAddress, failure->code});
    return;
  }
  ClientAddress address = FromClientAddress(*value.Get());
  r.clientAddressFamily = address.family;
  r.clientAddress = std::move(address.text);
}

// Whether the session's desktop is locked. Only an active session with a user has a desktop to lock.
void QueryLock(HANDLE server, SessionRecord& r) {
  WtsMemory<SessionInfoEx> info;
  if (auto failure = Query(server, r.id, kWtsSessionInfoEx, info)) {
    r.failures.push_back({kWtsSessionInfoEx, failure->code});
    return;
  }
  // Level 1 is the only level there is; another would be a layout this code does not know.
  if (info.Get()->Level != 1) return;
  r.lockState = LockStateFromFlags(info.Get()->Data.level1.SessionFlags, LockFlagsReversedHere());
}

}  // namespace

Failure QuerySession(HANDLE server, SessionRecord& r, const QueryOptions& options) {
  const bool withStation = options.withStation;
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
  CompleteName(server, r, r.userName, USERNAME_LENGTH, WTSUserName);
  CompleteName(server, r, r.domain, DOMAIN_LENGTH - 1, WTSDomainName);
  r.protocol = ProtocolFromStation(r.stationName);
  if (r.protocol == kUnknownProtocol) {
    WtsMemory<USHORT> value;
    if (auto failure = Query(server, r.id, WTSClientProtocolType, value)) {
      r.failures.push_back({WTSClientProtocolType, failure->code});
    } else {
      r.protocol = *value.Get();
    }
  }
  if (MayHaveClient(r)) QueryClient(server, r);
  if (options.lockState && options.local && r.state == WTSActive && !r.userName.empty()) QueryLock(server, r);
  return std::nullopt;
}

Failure CurrentProcessSession(DWORD& sessionId) {
  // A process never moves to another session: once known, it is not asked again on every listing. A failure is not
  // remembered, so each caller gets its own error.
  static std::atomic<int64_t> known{-1};
  const int64_t cached = known.load();
  if (cached >= 0) {
    sessionId = static_cast<DWORD>(cached);
    return std::nullopt;
  }
  if (!ProcessIdToSessionId(GetCurrentProcessId(), &sessionId)) return LastError("ProcessIdToSessionId");
  known.store(sessionId);
  return std::nullopt;
}

}  // namespace wts
