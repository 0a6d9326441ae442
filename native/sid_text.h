// A process owner's SID as text ("S-1-5-18") and as an account name, looked up on the server the process runs on.
#pragma once

#include <string>

#include "win_api.h"

namespace wts {

struct Account {
  std::u16string sid;                 // "" when the process has no SID (WTS gives NULL for some system processes).
  std::u16string name;                // "" when the SID does not resolve.
  std::u16string domain;              // "" when the SID does not resolve.
  SID_NAME_USE use = SidTypeUnknown;  // What the SID names (a user, a domain group, a local group ...).
  DWORD error = 0;                    // Why the SID did not resolve: ERROR_NONE_MAPPED (no such account), 1789 ...
};

// "S-1-5-18" for a valid SID, "" otherwise.
std::u16string SidText(PSID sid);

// The account of a valid SID; `server` is the host name, or nullptr for the local machine.
Account LookupAccount(PSID sid, const wchar_t* server);

}  // namespace wts
