// isAdministrator(): whether this process acts with the Administrators group (an elevated administrator, or
// LocalSystem), as CheckTokenMembership tells on the thread's effective token. Signing out, disconnecting and messaging
// other users' sessions need rights that Windows grants Administrators and SYSTEM by default (Reset, Disconnect and
// Message: the WTSLogoffSession, WTSDisconnectSession and WTSSendMessageW pages), and a caller without them may not
// see every session either (MS-TSTS RpcWinStationEnumerate), so a guard that is not one cannot do its job.
#include "operations.h"
#include "promise_worker.h"

namespace wts {

namespace {

class AdministratorWorker final : public PromiseWorker {
 public:
  explicit AdministratorWorker(Napi::Env env) : PromiseWorker(env, "windows-sessions:isAdministrator") {}

 private:
  Failure Run() override {
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    PSID administrators = nullptr;
    if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0,
                                  &administrators)) {
      return LastError("AllocateAndInitializeSid");
    }
    BOOL member = FALSE;
    // A null token: the calling thread's effective one. Under UAC an administrator's filtered token has the group
    // for deny only, which counts as not a member: only an elevated one does.
    const BOOL ok = CheckTokenMembership(nullptr, administrators, &member);
    Failure failure = ok ? std::nullopt : LastError("CheckTokenMembership");
    FreeSid(administrators);
    member_ = member != FALSE;
    return failure;
  }
  Napi::Value Result(Napi::Env env) override { return Napi::Boolean::New(env, member_); }

  bool member_ = false;
};

}  // namespace

Napi::Value IsAdministrator(const Napi::CallbackInfo& info) {
  return PromiseWorker::Start(new AdministratorWorker(info.Env()));
}

}  // namespace wts
