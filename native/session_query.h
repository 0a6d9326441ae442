// The per-session queries shared by the listing and the single-session workers.
#pragma once

#include "session_record.h"
#include "win32_failure.h"
#include "win_api.h"

namespace wts {

// Fills `record` (whose id is set) from WTSSessionInfo and, where needed, WTSUserName/WTSDomainName (names WTSINFOW
// may cut), WTSClientProtocolType, WTSClientInfo and WTSClientAddress. Only a failure of WTSSessionInfo, which
// establishes the session, is returned; the others are kept in record.failures and leave their fields empty.
// `withStation`: take the station name and state from WTSSessionInfo too (the listing already has them from the
// enumeration, complete where WTSINFOW's 32 characters may cut them).
// `lockState`: also read whether an active session with a user is locked (WTSSessionInfoEx), on this machine only:
// the meaning of its flags depends on the server's Windows version, which the WTS API does not give for another.
struct QueryOptions {
  bool withStation = false;
  bool lockState = false;
  bool local = true;
};
Failure QuerySession(HANDLE server, SessionRecord& record, const QueryOptions& options);

// The session this process runs in.
Failure CurrentProcessSession(DWORD& sessionId);

}  // namespace wts
