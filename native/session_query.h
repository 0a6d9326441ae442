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
Failure QuerySession(HANDLE server, SessionRecord& record, bool withStation);

// The session this process runs in.
Failure CurrentProcessSession(DWORD& sessionId);

}  // namespace wts
