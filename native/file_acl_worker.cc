// Who may change the files that steer the guard. protectFile(path, sddl) gives a file the owner and protected DACL of
// an SDDL string (ConvertStringSecurityDescriptorToSecurityDescriptorW, SetNamedSecurityInfoW); fileAccess(path)
// reads its owner and DACL back (GetNamedSecurityInfoW) as SIDs and access masks, for lib/service to judge.
#include <aclapi.h>
#include <sddl.h>

#include <string>
#include <vector>

#include "operations.h"
#include "promise_worker.h"
#include "sid_text.h"

namespace wts {

namespace {

struct Ace {
  bool allow;
  BYTE flags;
  ACCESS_MASK mask;
  std::u16string sid;
};

class FileAclWorker final : public PromiseWorker {
 public:
  FileAclWorker(Napi::Env env, std::u16string path, std::u16string sddl)
      : PromiseWorker(env, "windows-sessions:fileAcl"), path_(std::move(path)), sddl_(std::move(sddl)) {}

 private:
  LPWSTR Path() { return reinterpret_cast<LPWSTR>(&path_[0]); }

  Failure Run() override { return sddl_.empty() ? Read() : Protect(); }

  Failure Protect() {
    PSECURITY_DESCRIPTOR sd = nullptr;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(reinterpret_cast<LPCWSTR>(sddl_.c_str()), SDDL_REVISION_1,
                                                              &sd, nullptr))
      return LastError("ConvertStringSecurityDescriptorToSecurityDescriptorW");
    BOOL present = FALSE, defaulted = FALSE;
    PACL dacl = nullptr;
    PSID owner = nullptr;
    GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted);
    GetSecurityDescriptorOwner(sd, &owner, &defaulted);
    // PROTECTED: the folder's inheritable entries (Users may create files in C:\ProgramData...) no longer apply.
    SECURITY_INFORMATION what = DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION;
    if (owner != nullptr) what |= OWNER_SECURITY_INFORMATION;
    const DWORD status = SetNamedSecurityInfoW(Path(), SE_FILE_OBJECT, what, owner, nullptr, dacl, nullptr);
    LocalFree(sd);
    if (status != ERROR_SUCCESS) return Win32Failure{status, "SetNamedSecurityInfoW"};
    return std::nullopt;
  }

  Failure Read() {
    PSID owner = nullptr;
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR sd = nullptr;
    const DWORD status =
        GetNamedSecurityInfoW(Path(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
                              nullptr, &dacl, nullptr, &sd);
    if (status != ERROR_SUCCESS) return Win32Failure{status, "GetNamedSecurityInfoW"};
    owner_ = owner ? SidText(owner) : std::u16string();
    // A NULL DACL grants everyone full access (Microsoft's "Null DACLs and Empty DACLs").
    nullDacl_ = dacl == nullptr;
    for (DWORD i = 0; dacl != nullptr && i < dacl->AceCount; ++i) {
      ACE_HEADER* header = nullptr;
      if (!GetAce(dacl, i, reinterpret_cast<LPVOID*>(&header))) continue;
      // ACCESS_ALLOWED_ACE and ACCESS_DENIED_ACE share their layout: header, mask, SID from SidStart.
      if (header->AceType != ACCESS_ALLOWED_ACE_TYPE && header->AceType != ACCESS_DENIED_ACE_TYPE) {
        aces_.push_back({header->AceType == ACCESS_ALLOWED_ACE_TYPE, header->AceFlags, 0, u"?"});
        continue;
      }
      auto* ace = reinterpret_cast<ACCESS_ALLOWED_ACE*>(header);
      aces_.push_back({header->AceType == ACCESS_ALLOWED_ACE_TYPE, header->AceFlags, ace->Mask,
                       SidText(reinterpret_cast<PSID>(&ace->SidStart))});
    }
    LocalFree(sd);
    // The account this process runs as: the guard itself, whom its own files may trust.
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return LastError("OpenProcessToken");
    alignas(TOKEN_USER) BYTE buffer[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    DWORD size = 0;
    const BOOL ok = GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &size);
    CloseHandle(token);
    if (!ok) return LastError("GetTokenInformation");
    self_ = SidText(reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid);
    read_ = true;
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override {
    if (!read_) return env.Undefined();
    Napi::Object out = Napi::Object::New(env);
    out.Set("owner", Napi::String::New(env, owner_));
    out.Set("self", Napi::String::New(env, self_));
    if (nullDacl_) {
      out.Set("dacl", env.Null());
      return out;
    }
    Napi::Array list = Napi::Array::New(env, aces_.size());
    for (size_t i = 0; i < aces_.size(); ++i) {
      Napi::Object ace = Napi::Object::New(env);
      ace.Set("allow", aces_[i].allow);
      ace.Set("flags", aces_[i].flags);
      ace.Set("mask", aces_[i].mask);
      ace.Set("sid", Napi::String::New(env, aces_[i].sid));
      list.Set(static_cast<uint32_t>(i), ace);
    }
    out.Set("dacl", list);
    return out;
  }

  std::u16string path_, sddl_, owner_, self_;
  bool nullDacl_ = false, read_ = false;
  std::vector<Ace> aces_;
};

}  // namespace

// (path, sddl): sets the owner and protected DACL of the SDDL string; (path): reads them.
Napi::Value FileAcl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString() || (info.Length() > 1 && !info[1].IsString()))
    throw Napi::TypeError::New(env, "fileAcl(path, sddl?)");
  std::u16string sddl = info.Length() > 1 ? info[1].As<Napi::String>().Utf16Value() : std::u16string();
  return PromiseWorker::Start(new FileAclWorker(env, info[0].As<Napi::String>().Utf16Value(), std::move(sddl)));
}

}  // namespace wts
