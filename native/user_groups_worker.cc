// userGroups(userName, domain, domainGroups, server, sessionId): the groups an account is in, by name.
//   For a session of this machine, first the session token's groups (WTSQueryUserToken, GetTokenInformation with
//   TokenGroups, LookupAccountSidW): nested memberships included. Only LocalSystem may ask for a token; anyone else
//   gets ERROR_PRIVILEGE_NOT_HELD (Microsoft's WTSQueryUserToken page), and then:
//   scope 0, local groups of `server` (NULL: this machine), direct or through a domain group:
//     NetUserGetLocalGroups(server, "DOMAIN\user", 0, LG_INCLUDE_INDIRECT)
//   scope 1, global groups of the account's own domain, at one of its domain controllers:
//     DsGetDcNameW(NULL, domain, NULL, NULL, DS_IS_FLAT_NAME, ...) then NetUserGetGroups(dc, user, 0); none for a
//     local account (no such domain, and the domain is the host's NetBIOS name: NetWkstaGetInfo(server, 100))
// Both are network management calls: they return their error rather than set it, and hand out buffers the caller
// frees with NetApiBufferFree, even on ERROR_MORE_DATA (Microsoft's NetUserGetLocalGroups and NetUserGetGroups pages).
// A name lookup that fails for any reason but ERROR_NONE_MAPPED (no such account) fails the whole read: a domain
// controller out of reach (1789, 1722) must not make a member look like a non-member.
// windows.h (through win_api.h) before the network management headers, which depend on it.
#include "win_api.h"
// clang-format off
#include <lm.h>
#include <dsgetdc.h>
#include <ntsecapi.h>
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

// The SID `name` names on `server`, or the lookup's error (ERROR_NONE_MAPPED: no such account).
DWORD LookupName(const wchar_t* server, const wchar_t* name, std::vector<BYTE>& sid, SID_NAME_USE& use) {
  sid.assign(SECURITY_MAX_SID_SIZE, 0);
  std::vector<WCHAR> domain(256);
  DWORD error = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    DWORD sidSize = static_cast<DWORD>(sid.size());
    DWORD domainLength = static_cast<DWORD>(domain.size());
    if (LookupAccountNameW(server, name, sid.data(), &sidSize, domain.data(), &domainLength, &use)) return 0;
    error = GetLastError();
    if (error != ERROR_INSUFFICIENT_BUFFER) break;
    sid.resize(std::max<size_t>(sidSize, sid.size()));
    domain.resize(std::max<size_t>(domainLength, domain.size()));
  }
  return error;
}

// Whether a name has the form of a SID (S-1-5-32-544, in any letter case). A group of such a name is never given by
// name: a policy's `@local:S-1-...` means a SID, and must not be met by a group someone named so.
bool LooksLikeSid(const std::u16string& name) {
  if (name.size() < 5 || (name[0] != u'S' && name[0] != u's') || name.compare(1, 3, u"-1-") != 0) return false;
  bool digit = false;
  int parts = 0;
  for (size_t i = 4; i < name.size(); ++i) {
    if (name[i] >= u'0' && name[i] <= u'9') {
      digit = true;
    } else if (name[i] == u'-' && digit) {
      digit = false;
      ++parts;
    } else {
      return false;
    }
  }
  return digit && parts > 0;
}

// Whether `sid` is a group of `domain` itself (its SID plus one relative id), as text.
bool InDomain(const std::u16string& sid, const std::u16string& domain) {
  return !domain.empty() && sid.size() > domain.size() + 1 && sid.compare(0, domain.size(), domain) == 0 &&
         sid[domain.size()] == u'-' && sid.find(u'-', domain.size() + 1) == std::u16string::npos;
}

// The SID of this machine's account domain (its own users and groups; on a domain controller, the domain), as text:
// LsaQueryInformationPolicy(PolicyAccountDomainInformation), Microsoft's POLICY_ACCOUNT_DOMAIN_INFO page. Not the
// primary domain, which PolicyPrimaryDomainInformation gives (fortra/impacket #293 shows the two apart).
Failure MachineDomain(std::u16string& sid) {
  LSA_OBJECT_ATTRIBUTES attributes = {};
  LSA_HANDLE policy = nullptr;
  NTSTATUS status = LsaOpenPolicy(nullptr, &attributes, POLICY_VIEW_LOCAL_INFORMATION, &policy);
  if (status != 0) return Win32Failure{LsaNtStatusToWinError(status), "LsaOpenPolicy"};
  PVOID info = nullptr;
  status = LsaQueryInformationPolicy(policy, PolicyAccountDomainInformation, &info);
  LsaClose(policy);
  if (status != 0) return Win32Failure{LsaNtStatusToWinError(status), "LsaQueryInformationPolicy"};
  sid = SidText(static_cast<POLICY_ACCOUNT_DOMAIN_INFO*>(info)->DomainSid);
  LsaFreeMemory(info);
  if (sid.empty()) return Win32Failure{ERROR_INVALID_SID, "LsaQueryInformationPolicy"};
  return std::nullopt;
}

// One class of a token's information, sized by a first call (ERROR_INSUFFICIENT_BUFFER and the size needed).
Failure TokenInformation(HANDLE token, TOKEN_INFORMATION_CLASS cls, std::vector<BYTE>& buffer) {
  DWORD size = 0;
  GetTokenInformation(token, cls, nullptr, 0, &size);
  if (size == 0) return LastError("GetTokenInformation");
  buffer.resize(size);
  if (!GetTokenInformation(token, cls, buffer.data(), size, &size)) return LastError("GetTokenInformation");
  return std::nullopt;
}

// Whether two account names are the same to Windows: compared ordinally, without regard to case.
bool SameName(const std::u16string& a, const std::u16string& b) {
  return CompareStringOrdinal(Wide(a), static_cast<int>(a.size()), Wide(b), static_cast<int>(b.size()), TRUE) ==
         CSTR_EQUAL;
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
      if (WTSQueryUserToken(*sessionId_, token.Out())) {
        if (auto failure = SameUser(token.Get())) return failure;
        return FromToken(token.Get());
      }
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
  // A session id is reused once its session ends: the token read by id must be of the account asked about, or
  // another user's groups would be taken for this one's.
  Failure SameUser(HANDLE token) {
    std::vector<BYTE> buffer;
    if (auto failure = TokenInformation(token, TokenUser, buffer)) return failure;
    const Account account = LookupAccount(reinterpret_cast<const TOKEN_USER*>(buffer.data())->User.Sid, nullptr);
    if (account.name.empty()) return Win32Failure{account.error, "LookupAccountSidW"};
    if (SameName(account.name, user_) && SameName(account.domain, domain_)) return std::nullopt;
    return Win32Failure{ERROR_CTX_WINSTATION_NOT_FOUND, "WTSQueryUserToken", *sessionId_};
  }

  // Every group of the token but its logon SID, deny-only ones included (a UAC-filtered administrator's
  // Administrators group is deny-only, and is still the membership asked about). Local groups are this machine's
  // aliases only (BUILTIN, S-1-5-32, or its account domain): a domain-local group of the domain is an alias too, and
  // must not pass for a local group of the same name; each by name and always by SID, which needs no lookup. Domain
  // groups as DOMAIN\Name. Well-known groups (Everyone, INTERACTIVE) are neither.
  Failure FromToken(HANDLE token) {
    std::vector<BYTE> buffer;
    if (auto failure = TokenInformation(token, TokenGroups, buffer)) return failure;
    std::u16string machine;
    if (!domainGroups_) {
      if (auto failure = MachineDomain(machine)) return failure;
    }
    const auto* groups = reinterpret_cast<const TOKEN_GROUPS*>(buffer.data());
    for (DWORD i = 0; i < groups->GroupCount; ++i) {
      if ((groups->Groups[i].Attributes & SE_GROUP_LOGON_ID) == SE_GROUP_LOGON_ID) continue;
      const Account account = LookupAccount(groups->Groups[i].Sid, nullptr);
      if (account.name.empty() && account.error != ERROR_NONE_MAPPED) {
        return Win32Failure{account.error, "LookupAccountSidW"};
      }
      if (!domainGroups_ && (InDomain(account.sid, u"S-1-5-32") || InDomain(account.sid, machine))) {
        if (account.use == SidTypeAlias && !LooksLikeSid(account.name)) names_.push_back(account.name);
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
    // Each group by name and, where the host knows its SID, by SID too (a built-in group's name is translated,
    // Administratoren on a German Windows, its SID is not).
    for (DWORD i = 0; i < read; ++i) {
      const std::u16string name = FromPointer(list.Get()[i].lgrui0_name);
      if (!LooksLikeSid(name)) names_.push_back(name);
      std::vector<BYTE> sid;
      SID_NAME_USE use;
      const DWORD error = LookupName(server_ ? Wide(*server_) : nullptr, Wide(name), sid, use);
      if (error == ERROR_NONE_MAPPED) continue;
      if (error) return Win32Failure{error, "LookupAccountNameW"};
      if (use == SidTypeAlias) names_.push_back(SidText(sid.data()));
    }
    return std::nullopt;
  }

  Failure Global() {
    NetBuffer<DOMAIN_CONTROLLER_INFOW> dc;
    const DWORD found = DsGetDcNameW(nullptr, Wide(domain_), nullptr, nullptr, DS_IS_FLAT_NAME, dc.OutTyped());
    // No domain of that name, and it is the host's own name: a local account, which is in no domain's group.
    if (found == ERROR_NO_SUCH_DOMAIN && IsHostName(domain_)) return std::nullopt;
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

  // Whether `name` is the NetBIOS name of the session's host (NetWkstaGetInfo level 100), which Windows gives as the
  // domain of the host's own accounts (Microsoft's LookupAccountSidW page). Not known is not the host.
  bool IsHostName(const std::u16string& name) {
    NetBuffer<WKSTA_INFO_100> info;
    const NET_API_STATUS status =
        NetWkstaGetInfo(server_ ? const_cast<wchar_t*>(Wide(*server_)) : nullptr, 100, info.Out());
    return status == NERR_Success && info.Get() && info.Get()->wki100_computername &&
           SameName(FromPointer(info.Get()->wki100_computername), name);
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
