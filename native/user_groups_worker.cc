// userGroups(userName, domain, scope, server): the groups an account is in, by name.
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

#include <vector>

#include "args.h"
#include "job_worker.h"
#include "operations.h"
#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

const wchar_t* Wide(const std::u16string& text) { return reinterpret_cast<const wchar_t*>(text.c_str()); }

class UserGroupsJob {
 public:
  UserGroupsJob(std::u16string user, std::u16string domain, bool domainGroups, std::optional<std::u16string> server)
      : user_(std::move(user)), domain_(std::move(domain)), domainGroups_(domainGroups), server_(std::move(server)) {}

  Failure Run() { return domainGroups_ ? Global() : Local(); }

  Napi::Value Result(Napi::Env env) {
    Napi::Array array = Napi::Array::New(env, names_.size());
    for (size_t i = 0; i < names_.size(); ++i) array.Set(static_cast<uint32_t>(i), ToJs(env, names_[i]));
    return array;
  }

 private:
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
    for (DWORD i = 0; i < read; ++i) names_.push_back(FromPointer(list.Get()[i].lgrui0_name));
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
    for (DWORD i = 0; i < read; ++i) names_.push_back(FromPointer(list.Get()[i].grui0_name));
    return std::nullopt;
  }

  std::u16string user_;
  std::u16string domain_;
  bool domainGroups_;
  std::optional<std::u16string> server_;
  std::vector<std::u16string> names_;
};

}  // namespace

Napi::Value UserGroups(const Napi::CallbackInfo& info) {
  std::u16string user = ReadText(info, 0);
  std::u16string domain = ReadText(info, 1);
  const bool domainGroups = ReadBool(info, 2);
  auto server = ReadServer(info, 3);
  // A NUL would end the name early: Windows would be asked about another account.
  if (user.empty() || user.find(u'\0') != std::u16string::npos || domain.find(u'\0') != std::u16string::npos) {
    throw Napi::TypeError::New(info.Env(), "userName and domain must be non-empty names without NUL");
  }
  if (domainGroups && domain.empty()) throw Napi::TypeError::New(info.Env(), "domain groups need a domain");
  // Always on the addon's remote pool: both may wait on another host (the session's, or a domain controller).
  return StartJob(info.Env(), "windows-sessions:userGroups",
                  UserGroupsJob(std::move(user), std::move(domain), domainGroups, std::move(server)), true);
}

}  // namespace wts
