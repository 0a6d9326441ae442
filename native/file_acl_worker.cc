// Who may change the files that steer the guard. fileAcl(path, sddl) gives a file the owner and protected DACL of an
// SDDL string (ConvertStringSecurityDescriptorToSecurityDescriptorW, SetNamedSecurityInfoW); fileAcl(path) reads its
// owner, DACL (every ACE with its type) and attributes back, for lib/service to judge; fileAcl(path, null, true) also
// reads its bytes. A read opens the path once and takes all of that from the one handle (GetSecurityInfo, ReadFile),
// so the file judged is the file read; while it is open only readers may share it.
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
  BYTE type;
  bool allow;
  BYTE flags;
  ACCESS_MASK mask;
  std::u16string sid;
};

class FileAclWorker final : public PromiseWorker {
 public:
  FileAclWorker(Napi::Env env, std::u16string path, std::u16string sddl, bool withData)
      : PromiseWorker(env, "windows-sessions:fileAcl"),
        path_(std::move(path)),
        sddl_(std::move(sddl)),
        withData_(withData) {}

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
    // FILE_FLAG_BACKUP_SEMANTICS opens a folder too; FILE_FLAG_OPEN_REPARSE_POINT opens a junction or link itself, so
    // that its attribute is seen rather than followed. Sharing read only while the bytes are read: no writer can
    // change them between the check and the read (ERROR_SHARING_VIOLATION while one has it open; the caller retries).
    const DWORD access = READ_CONTROL | FILE_READ_ATTRIBUTES | (withData_ ? GENERIC_READ : 0);
    const DWORD share = withData_ ? FILE_SHARE_READ : FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    HANDLE file = CreateFileW(Path(), access, share, nullptr, OPEN_EXISTING,
                              FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
    if (file == INVALID_HANDLE_VALUE) return LastError("CreateFileW");
    Failure failure = ReadHandle(file);
    CloseHandle(file);
    return failure;
  }

  Failure ReadHandle(HANDLE file) {
    BY_HANDLE_FILE_INFORMATION info{};
    if (!GetFileInformationByHandle(file, &info)) return LastError("GetFileInformationByHandle");
    attributes_ = info.dwFileAttributes;
    PSID owner = nullptr;
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR sd = nullptr;
    const DWORD status = GetSecurityInfo(file, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                                         &owner, nullptr, &dacl, nullptr, &sd);
    if (status != ERROR_SUCCESS) return Win32Failure{status, "GetSecurityInfo"};
    owner_ = owner ? SidText(owner) : std::u16string();
    // A NULL DACL grants everyone full access (Microsoft's "Null DACLs and Empty DACLs").
    nullDacl_ = dacl == nullptr;
    for (DWORD i = 0; dacl != nullptr && i < dacl->AceCount; ++i) {
      ACE_HEADER* header = nullptr;
      if (!GetAce(dacl, i, reinterpret_cast<LPVOID*>(&header))) continue;
      // ACCESS_ALLOWED_ACE and ACCESS_DENIED_ACE share their layout: header, mask, SID from SidStart. Any other type
      // (object, callback, conditional) has another layout: only its type is told, and lib/service refuses it.
      if (header->AceType != ACCESS_ALLOWED_ACE_TYPE && header->AceType != ACCESS_DENIED_ACE_TYPE) {
        aces_.push_back({header->AceType, false, header->AceFlags, 0, u""});
        continue;
      }
      auto* ace = reinterpret_cast<ACCESS_ALLOWED_ACE*>(header);
      aces_.push_back({header->AceType, header->AceType == ACCESS_ALLOWED_ACE_TYPE, header->AceFlags, ace->Mask,
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
    if (withData_) {
      // The guard's files are small: a policy above 16 MiB is refused rather than read.
      if (info.nFileSizeHigh != 0 || info.nFileSizeLow > (16u << 20))
        return Win32Failure{ERROR_FILE_TOO_LARGE, "ReadFile"};
      data_.resize(info.nFileSizeLow);
      DWORD got = 0;
      if (!data_.empty() && !ReadFile(file, data_.data(), static_cast<DWORD>(data_.size()), &got, nullptr))
        return LastError("ReadFile");
      data_.resize(got);
    }
    read_ = true;
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override {
    if (!read_) return env.Undefined();
    Napi::Object out = Napi::Object::New(env);
    out.Set("owner", Napi::String::New(env, owner_));
    out.Set("self", Napi::String::New(env, self_));
    out.Set("attributes", Napi::Number::New(env, attributes_));
    if (withData_) out.Set("data", Napi::Buffer<char>::Copy(env, data_.data(), data_.size()));
    if (nullDacl_) {
      out.Set("dacl", env.Null());
      return out;
    }
    Napi::Array list = Napi::Array::New(env, aces_.size());
    for (size_t i = 0; i < aces_.size(); ++i) {
      Napi::Object ace = Napi::Object::New(env);
      ace.Set("type", aces_[i].type);
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
  bool withData_, nullDacl_ = false, read_ = false;
  DWORD attributes_ = 0;
  std::vector<Ace> aces_;
  std::vector<char> data_;
};

}  // namespace

// (path, sddl): sets the owner and protected DACL of the SDDL string; (path, null, withData?): reads them.
Napi::Value FileAcl(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const bool hasSddl = info.Length() > 1 && info[1].IsString();
  if (info.Length() < 1 || !info[0].IsString() ||
      (info.Length() > 1 && !hasSddl && !info[1].IsNull() && !info[1].IsUndefined()) ||
      (info.Length() > 2 && !info[2].IsBoolean()))
    throw Napi::TypeError::New(env, "fileAcl(path, sddl?, withData?)");
  std::u16string sddl = hasSddl ? info[1].As<Napi::String>().Utf16Value() : std::u16string();
  const bool withData = info.Length() > 2 && info[2].As<Napi::Boolean>().Value();
  return PromiseWorker::Start(
      new FileAclWorker(env, info[0].As<Napi::String>().Utf16Value(), std::move(sddl), withData));
}

}  // namespace wts
