// userGroups(userName, domain, domainGroups, server, sessionId): the groups an account is in, by name.
//   For a session of this machine, first the session token's groups (WTSQueryUserToken, GetTokenInformation with
//   TokenGroups, LookupAccountSidW): nested memberships included. Only LocalSystem may ask for a token; anyone else
//   gets ERROR_PRIVILEGE_NOT_HELD (Microsoft's WTSQueryUserToken page), and then:
//   scope 0, local groups of `server` (NULL: this machine), direct or through a domain group:
//     NetUserGetLocalGroups(server, "DOMAIN\user", 0, LG_INCLUDE_INDIRECT)
//   scope 1, global groups of the account's own domain, at one of its domain controllers:
//     DsGetDcNameW(NULL, domain, NULL, NULL, DS_IS_FLAT_NAME, ...) then NetUserGetGroups(dc, user, 0)
// Both are network management calls: they return their error rather than set it, and hand out buffers the caller
// frees with NetApiBufferFree, even on ERROR_MORE_DATA (Microsoft's NetUserGetLocalGroups and NetUserGetGroups pages).
// windows.h (through win_api.h) before the network management headers, which depend on it.
#include "win_api.h"
// clang-format off
#include <lm.h>
#include <dsgetdc.h>
// clang-format on

#include <algorithm>
#include <vector>

#include "args.h"
#include "job_worker.h"
#include "operations.h"
#include "sid_text.h"
#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

const wchar_t* Wide(const std::u16string& text) { return reinterpret_cast<const wchar_t*>(text.c_str()); }

// The SID of a local group of `server` by its name, as text; "" when it cannot be told. A built-in group's name is
// translated (Administratoren on a German Windows), its SID is not: policies can name it by SID (S-1-5-32-544).
std::u16string LocalGroupSid(const wchar_t* server, const std::u16string& name) {
  std::vector<BYTE> sid(SECURITY_MAX_SID_SIZE);
  std::vector<WCHAR> domain(256);
  for (int attempt = 0; attempt < 2; ++attempt) {
    DWORD sidSize = static_cast<DWORD>(sid.size());
    DWORD domainLength = static_cast<DWORD>(domain.size());
    SID_NAME_USE use;
    if (LookupAccountNameW(server, Wide(name), sid.data(), &sidSize, domain.data(), &domainLength, &use)) {
      return use == SidTypeAlias ? SidText(sid.data()) : std::u16string();
    }
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER) break;
    sid.resize(std::max<size_t>(sidSize, sid.size()));
    domain.resize(std::max<size_t>(domainLength, domain.size()));
  }
  return std::u16string();
}

class UserGroupsJob {
 public:
  UserGroupsJob(std::u16string user, std::u16string domain, bool domainGroups, std::optional<std::u16string> server,
                std::optional<DWORD> sessionId)
      : user_(std::move(user)),
        domain_(std::move(domain)),
        domainGroups_(domainGroups),
        server_(std::move(server)),
        sessionId_(sessionId) {}

  Failure Run() {
    if (!server_ && sessionId_) {
      TokenHandle token;
      if (WTSQueryUserToken(*sessionId_, token.Out())) return FromToken(token.Get());
      const DWORD error = GetLastError();
      // Not LocalSystem: the network management calls answer an elevated administrator too.
      if (error != ERROR_PRIVILEGE_NOT_HELD) return Win32Failure{error, "WTSQueryUserToken", *sessionId_};
    }
    return domainGroups_ ? Global() : Local();
  }

  Napi::Value Result(Napi::Env env) {
    Napi::Array array = Napi::Array::New(env, names_.size());
    for (size_t i = 0; i < names_.size(); ++i) array.Set(static_cast<uint32_t>(i), ToJs(env, names_[i]));
    return array;
  }

 private:
  // Every group of the token but its logon SID, deny-only ones included (a UAC-filtered administrator's
  // Administrators group is deny-only, and is still the membership asked about): local groups (aliases) by name,
  // domain groups as DOMAIN\Name. Well-known groups (Everyone, INTERACTIVE) are neither.
  Failure FromToken(HANDLE token) {
    DWORD size = 0;
    GetTokenInformation(token, TokenGroups, nullptr, 0, &size);
    if (size == 0) return LastError("GetTokenInformation");
    std::vector<BYTE> buffer(size);
    if (!GetTokenInformation(token, TokenGroups, buffer.data(), size, &size)) return LastError("GetTokenInformation");
    const auto* groups = reinterpret_cast<const TOKEN_GROUPS*>(buffer.data());
    for (DWORD i = 0; i < groups->GroupCount; ++i) {
      if ((groups->Groups[i].Attributes & SE_GROUP_LOGON_ID) == SE_GROUP_LOGON_ID) continue;
      const Account account = LookupAccount(groups->Groups[i].Sid, nullptr);
      if (account.name.empty()) continue;
      if (!domainGroups_ && account.use == SidTypeAlias) {
        names_.push_back(account.name);
        names_.push_back(account.sid);
      }
      if (domainGroups_ && account.use == SidTypeGroup) names_.push_back(account.domain + u"\\" + account.name);
    }
    return std::nullopt;
  }

  Failure Local() {
    const std::u16string account = domain_.empty() ? user_ : domain_ + u"\\" + user_;
    NetBuffer<LOCALGROUP_USERS_INFO_0> list;
    DWORD read = 0, total = 0;
    const NET_API_STATUS status =
        NetUserGetLocalGroups(server_ ? Wide(*server_) : nullptr, Wide(account), 0, LG_INCLUDE_INDIRECT, list.Out(),
                              MAX_PREFERRED_LENGTH, &read, &total);
    if (status != NERR_Success) return Win32Failure{status, "NetUserGetLocalGroups"};
    // A partial list would make a member look like a non-member: not knowing is safer.
    if (read != total) return Win32Failure{ERROR_MORE_DATA, "NetUserGetLocalGroups"};
    // Each group by name and, where its SID can be told, by SID too.
    for (DWORD i = 0; i < read; ++i) {
      const std::u16string name = FromPointer(list.Get()[i].lgrui0_name);
      names_.push_back(name);
      std::u16string sid = LocalGroupSid(server_ ? Wide(*server_) : nullptr, name);
      if (!sid.empty()) names_.push_back(std::move(sid));
    }
    return std::nullopt;
  }

  Failure Global() {
    NetBuffer<DOMAIN_CONTROLLER_INFOW> dc;
    const DWORD found = DsGetDcNameW(nullptr, Wide(domain_), nullptr, nullptr, DS_IS_FLAT_NAME, dc.OutTyped());
    if (found != ERROR_SUCCESS) return Win32Failure{found, "DsGetDcNameW"};
    if (dc.Get() == nullptr || dc.Get()->DomainControllerName == nullptr) {
      return Win32Failure{ERROR_NO_SUCH_DOMAIN, "DsGetDcNameW"};
    }
    NetBuffer<GROUP_USERS_INFO_0> list;
    DWORD read = 0, total = 0;
    const NET_API_STATUS status = NetUserGetGroups(dc.Get()->DomainControllerName, Wide(user_), 0, list.Out(),
                                                   MAX_PREFERRED_LENGTH, &read, &total);
    if (status != NERR_Success) return Win32Failure{status, "NetUserGetGroups"};
    if (read != total) return Win32Failure{ERROR_MORE_DATA, "NetUserGetGroups"};
    // Global groups of the domain the controller serves: the account's own.
    for (DWORD i = 0; i < read; ++i) names_.push_back(domain_ + u"\\" + FromPointer(list.Get()[i].grui0_name));
    return std::nullopt;
  }

  std::u16string user_;
  std::u16string domain_;
  bool domainGroups_;
  std::optional<std::u16string> server_;
  std::optional<DWORD> sessionId_;
  std::vector<std::u16string> names_;
};

}  // namespace

Napi::Value UserGroups(const Napi::CallbackInfo& info) {
  std::u16string user = ReadText(info, 0);
  std::u16string domain = ReadText(info, 1);
  const bool domainGroups = ReadBool(info, 2);
  auto server = ReadServer(info, 3);
  std::optional<DWORD> sessionId;
  if (!info[4].IsUndefined() && !info[4].IsNull()) sessionId = ReadSessionId(info, 4);
  // A NUL would end the name early: Windows would be asked about another account.
  if (user.empty() || user.find(u'\0') != std::u16string::npos || domain.find(u'\0') != std::u16string::npos) {
    throw Napi::TypeError::New(info.Env(), "userName and domain must be non-empty names without NUL");
  }
  if (domainGroups && domain.empty()) throw Napi::TypeError::New(info.Env(), "domain groups need a domain");
  // Always on the addon's remote pool: both may wait on another host (the session's, or a domain controller).
  return StartJob(info.Env(), "windows-sessions:userGroups",
                  UserGroupsJob(std::move(user), std::move(domain), domainGroups, std::move(server), sessionId), true);
}

}  // namespace wts
