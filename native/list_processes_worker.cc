// listProcesses(server, usage): WTSEnumerateProcessesW, each process with its session and owner (each SID looked up
// once per listing); with usage, WTSEnumerateProcessesExW at level 1, which adds memory, handles, threads and CPU
// times.
#include <map>
#include <vector>

#include "args.h"
#include "job_worker.h"
#include "operations.h"
#include "process_info_ex.h"
#include "sid_text.h"
#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

// WTS_PROCESS_INFO_EXW's figures (usage listings only).
struct Usage {
  DWORD workingSet, pagefile, handles, threads;
  LONGLONG userMs, kernelMs;
};

struct ProcessRecord {
  DWORD pid;
  DWORD sessionId;
  std::u16string name;
  Account owner;
  std::optional<Usage> usage;
};

class ListProcessesJob {
 public:
  ListProcessesJob(std::optional<std::u16string> server, bool usage) : server_(std::move(server)), usage_(usage) {}

  Failure Run() {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    if (usage_) {
      ProcessInfoExList list;
      if (!list.Enumerate(server.Get())) return LastError("WTSEnumerateProcessesExW");
      Take(list, list.size(), [](const ProcessInfoExW& p) {
        return Usage{p.WorkingSetSize,  p.PagefileUsage,     p.HandleCount,
                     p.NumberOfThreads, p.UserTime.QuadPart, p.KernelTime.QuadPart};
      });
      return std::nullopt;
    }
    WtsMemory<WTS_PROCESS_INFOW> list;
    DWORD count = 0;
    if (!WTSEnumerateProcessesW(server.Get(), 0, 1, list.Out(), &count)) return LastError("WTSEnumerateProcessesW");
    Take(list, count, [](const WTS_PROCESS_INFOW&) { return std::optional<Usage>(); });
    return std::nullopt;
  }

  // The records of either level's array; `usage` reads a record's figures.
  template <typename List, typename ReadUsage>
  void Take(const List& list, DWORD count, ReadUsage usage) {
    const wchar_t* host = server_ ? reinterpret_cast<const wchar_t*>(server_->c_str()) : nullptr;
    // Most processes share a handful of owners: look each SID up once.
    std::map<std::u16string, Account> accounts;
    records_.reserve(count);
    for (DWORD i = 0; i < count; ++i) {
      const auto& p = list[i];
      Account owner;
      const std::u16string sid = SidText(p.pUserSid);
      if (!sid.empty()) {
        auto known = accounts.find(sid);
        if (known == accounts.end()) known = accounts.emplace(sid, LookupAccount(p.pUserSid, host)).first;
        owner = known->second;
      }
      records_.push_back({p.ProcessId, p.SessionId, FromPointer(p.pProcessName), std::move(owner), usage(p)});
    }
  }

  Napi::Value Result(Napi::Env env) {
    Napi::Array array = Napi::Array::New(env, records_.size());
    for (size_t i = 0; i < records_.size(); ++i) {
      const ProcessRecord& r = records_[i];
      Napi::Object o = Napi::Object::New(env);
      o.Set("pid", Napi::Number::New(env, r.pid));
      o.Set("sessionId", Napi::Number::New(env, r.sessionId));
      o.Set("name", ToJs(env, r.name));
      o.Set("userSid", ToJs(env, r.owner.sid));
      o.Set("userName", ToJs(env, r.owner.name));
      o.Set("domain", ToJs(env, r.owner.domain));
      if (r.usage) {
        o.Set("workingSetBytes", Napi::Number::New(env, r.usage->workingSet));
        o.Set("pagefileBytes", Napi::Number::New(env, r.usage->pagefile));
        o.Set("handles", Napi::Number::New(env, r.usage->handles));
        o.Set("threads", Napi::Number::New(env, r.usage->threads));
        o.Set("userTimeMs", Napi::Number::New(env, static_cast<double>(r.usage->userMs)));
        o.Set("kernelTimeMs", Napi::Number::New(env, static_cast<double>(r.usage->kernelMs)));
      }
      array.Set(static_cast<uint32_t>(i), o);
    }
    return array;
  }

 private:
  std::optional<std::u16string> server_;
  bool usage_;
  std::vector<ProcessRecord> records_;
};

}  // namespace

Napi::Value ListProcesses(const Napi::CallbackInfo& info) {
  auto server = ReadServer(info, 0);
  const bool usage = info.Length() > 1 && !info[1].IsUndefined() && ReadBool(info, 1);
  // Always on a pool of the addon's own, even for this machine: LookupAccountSidW asks a domain controller for a
  // name that is not local (Microsoft's LookupAccountSid page), which may take as long as any remote call, and must
  // not hold one of libuv's four threads meanwhile.
  return StartJob(info.Env(), "windows-sessions:listProcesses", ListProcessesJob(std::move(server), usage), true);
}

}  // namespace wts
