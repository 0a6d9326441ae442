#include "sid_text.h"

#include <sddl.h>

#include <cwchar>
#include <vector>

namespace wts {

namespace {

// Characters of the first try; a longer name is sized by that try's answer.
constexpr size_t kFirstTry = 256;

}  // namespace

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
  account.error = ERROR_INVALID_SID;
  if (account.sid.empty()) return account;
  // Most names fit the first try. A longer one fails with ERROR_INSUFFICIENT_BUFFER and the sizes needed, terminator
  // included (Microsoft's LookupAccountSidW page), and is asked for again once at that size.
  std::vector<WCHAR> name(kFirstTry);
  std::vector<WCHAR> domain(kFirstTry);
  for (int attempt = 0; attempt < 2; ++attempt) {
    DWORD nameLength = static_cast<DWORD>(name.size());
    DWORD domainLength = static_cast<DWORD>(domain.size());
    SID_NAME_USE use;
    if (LookupAccountSidW(server, sid, name.data(), &nameLength, domain.data(), &domainLength, &use)) {
      // Read up to the terminator, not from the lengths, which the page does not define on success.
      account.name.assign(reinterpret_cast<const char16_t*>(name.data()), wcsnlen(name.data(), name.size()));
      account.domain.assign(reinterpret_cast<const char16_t*>(domain.data()), wcsnlen(domain.data(), domain.size()));
      account.use = use;
      account.error = 0;
      break;
    }
    account.error = GetLastError();
    if (account.error != ERROR_INSUFFICIENT_BUFFER) break;
    const bool grows = nameLength > name.size() || domainLength > domain.size();
    if (!grows) break;
    if (nameLength > name.size()) name.resize(nameLength);
    if (domainLength > domain.size()) domain.resize(domainLength);
  }
  return account;
}

}  // namespace wts
