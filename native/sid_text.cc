#include "sid_text.h"

#include <sddl.h>

namespace wts {

std::u16string SidText(PSID sid) {
  std::u16string result;
  LPWSTR text = nullptr;
  if (sid != nullptr && IsValidSid(sid) && ConvertSidToStringSidW(sid, &text)) {
    result = reinterpret_cast<const char16_t*>(text);
    LocalFree(text);
  }
  return result;
}

Account LookupAccount(PSID sid, const wchar_t* server) {
  Account account;
  account.sid = SidText(sid);
  if (account.sid.empty()) return account;
  WCHAR name[256];
  WCHAR domain[256];
  DWORD nameLength = 256;
  DWORD domainLength = 256;
  SID_NAME_USE use;
  if (LookupAccountSidW(server, sid, name, &nameLength, domain, &domainLength, &use)) {
    account.name.assign(reinterpret_cast<const char16_t*>(name), nameLength);
    account.domain.assign(reinterpret_cast<const char16_t*>(domain), domainLength);
  }
  return account;
}

}  // namespace wts
