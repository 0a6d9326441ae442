// sendMessage(sessionId, title, message, style, timeoutSeconds, wait, server): a message box in the session.
// With wait it blocks until the user answers or the timeout passes, so it runs on a thread of its own.
#include "args.h"
#include "operations.h"
#include "thread_worker.h"
#include "wts_holders.h"

namespace wts {

namespace {

class SendMessageWorker final : public ThreadWorker {
 public:
  SendMessageWorker(DWORD sessionId, std::u16string title, std::u16string message, DWORD style, DWORD timeout,
                    bool wait, std::optional<std::u16string> server)
      : ThreadWorker("windows-sessions:sendMessage"),
        sessionId_(sessionId),
        title_(std::move(title)),
        message_(std::move(message)),
        style_(style),
        timeout_(timeout),
        wait_(wait),
        server_(std::move(server)) {}

 private:
  Failure Run() override {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    // Lengths are in bytes, not characters (a classic mistake: Vanara #309).
    if (!WTSSendMessageW(server.Get(), sessionId_, Wide(title_), Bytes(title_), Wide(message_), Bytes(message_), style_,
                         timeout_, &response_, wait_ ? TRUE : FALSE)) {
      return LastError("WTSSendMessageW", sessionId_);
    }
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, response_); }

  static LPWSTR Wide(std::u16string& text) { return reinterpret_cast<LPWSTR>(text.data()); }
  static DWORD Bytes(const std::u16string& text) { return static_cast<DWORD>(text.size() * sizeof(char16_t)); }

  DWORD sessionId_;
  std::u16string title_;
  std::u16string message_;
  DWORD style_;
  DWORD timeout_;
  bool wait_;
  std::optional<std::u16string> server_;
  DWORD response_ = 0;
};

}  // namespace

Napi::Value SendSessionMessage(const Napi::CallbackInfo& info) {
  const DWORD sessionId = ReadSessionId(info, 0);
  std::u16string title = ReadText(info, 1);
  std::u16string message = ReadText(info, 2);
  const DWORD style = ReadUint32(info, 3);
  const DWORD timeout = ReadUint32(info, 4);
  const bool wait = ReadBool(info, 5);
  auto server = ReadServer(info, 6);
  return ThreadWorker::Start(
      info.Env(),
      new SendMessageWorker(sessionId, std::move(title), std::move(message), style, timeout, wait, std::move(server)),
      MessagePool());
}

}  // namespace wts
