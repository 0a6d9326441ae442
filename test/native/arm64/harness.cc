// Runs the addon's own argument checks (native/args.cc, compiled unchanged) and node-addon-api's callback wrapper
// as aarch64 code under qemu-aarch64 (test/native/arm64-exceptions.test.ts), over a fake Node-API just big enough
// for them. Every bad argument is a C++ exception thrown in args.cc, unwound through frames with destructors to
// run, caught by node-addon-api (WrapCallback) and turned into napi_throw: the path every error of the addon takes.
// Then an exception carried from another thread, as the workers carry theirs. It proves the arm64 code generation and
// the C++ runtime's unwinding on aarch64, not Windows' SEH unwinding.
#include <napi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "args.h"

struct napi_value__ {
  napi_valuetype type = napi_undefined;
  double number = 0;
  bool flag = false;
  std::string text;   // a string's UTF-8, or an error's message
  std::string error;  // "Error", "TypeError" or "RangeError" for an error object
};
struct napi_ref__ {
  napi_value value;
};

namespace {

std::deque<napi_value__> heap;  // never shrinks: a napi_value stays valid for the whole run
napi_value thrown = nullptr;
int references = 0;
int guards = 0;  // live Guard objects: 0 after every call, or unwinding skipped a destructor

napi_value Make(napi_valuetype type) {
  heap.emplace_back();
  heap.back().type = type;
  return &heap.back();
}

struct CallbackInfo {
  size_t argc;
  napi_value* argv;
};

struct Guard {
  Guard() { ++guards; }
  ~Guard() { --guards; }
};

}  // namespace

extern "C" {

napi_status napi_get_cb_info(napi_env, napi_callback_info cbinfo, size_t* argc, napi_value* argv, napi_value* this_arg,
                             void** data) {
  auto* info = reinterpret_cast<CallbackInfo*>(cbinfo);
  if (argv)
    for (size_t i = 0; i < *argc; ++i) argv[i] = i < info->argc ? info->argv[i] : Make(napi_undefined);
  if (argc) *argc = info->argc;
  if (this_arg) *this_arg = Make(napi_undefined);
  if (data) *data = nullptr;
  return napi_ok;
}
napi_status napi_get_undefined(napi_env, napi_value* result) {
  *result = Make(napi_undefined);
  return napi_ok;
}
napi_status napi_typeof(napi_env, napi_value value, napi_valuetype* result) {
  *result = value->type;
  return napi_ok;
}
napi_status napi_get_value_double(napi_env, napi_value value, double* result) {
  *result = value->number;
  return value->type == napi_number ? napi_ok : napi_number_expected;
}
napi_status napi_get_value_bool(napi_env, napi_value value, bool* result) {
  *result = value->flag;
  return value->type == napi_boolean ? napi_ok : napi_boolean_expected;
}
napi_status napi_get_value_string_utf16(napi_env, napi_value value, char16_t* buf, size_t size, size_t* result) {
  if (value->type != napi_string) return napi_string_expected;
  std::u16string wide(value->text.begin(), value->text.end());  // the harness passes ASCII only
  if (!buf) {
    *result = wide.size();
  } else {
    size_t n = wide.size() < size - 1 ? wide.size() : size - 1;
    std::memcpy(buf, wide.data(), n * sizeof(char16_t));
    buf[n] = u'\0';
    if (result) *result = n;
  }
  return napi_ok;
}
napi_status napi_create_string_utf8(napi_env, const char* str, size_t length, napi_value* result) {
  *result = Make(napi_string);
  (*result)->text = length == NAPI_AUTO_LENGTH ? std::string(str) : std::string(str, length);
  return napi_ok;
}
static napi_status MakeError(const char* kind, napi_value msg, napi_value* result) {
  *result = Make(napi_object);
  (*result)->error = kind;
  (*result)->text = msg->text;
  return napi_ok;
}
napi_status napi_create_error(napi_env, napi_value, napi_value msg, napi_value* result) {
  return MakeError("Error", msg, result);
}
napi_status napi_create_type_error(napi_env, napi_value, napi_value msg, napi_value* result) {
  return MakeError("TypeError", msg, result);
}
napi_status napi_create_range_error(napi_env, napi_value, napi_value msg, napi_value* result) {
  return MakeError("RangeError", msg, result);
}
napi_status napi_create_reference(napi_env, napi_value value, uint32_t, napi_ref* result) {
  ++references;
  *result = new napi_ref__{value};
  return napi_ok;
}
napi_status napi_delete_reference(napi_env, napi_ref ref) {
  --references;
  delete ref;
  return napi_ok;
}
napi_status napi_get_reference_value(napi_env, napi_ref ref, napi_value* result) {
  *result = ref->value;
  return napi_ok;
}
napi_status napi_reference_ref(napi_env, napi_ref, uint32_t* result) {
  if (result) *result = 2;
  return napi_ok;
}
napi_status napi_reference_unref(napi_env, napi_ref, uint32_t* result) {
  if (result) *result = 1;
  return napi_ok;
}
napi_status napi_throw(napi_env, napi_value error) {
  thrown = error;
  return napi_ok;
}
napi_status napi_is_exception_pending(napi_env, bool* result) {
  *result = thrown != nullptr;
  return napi_ok;
}
napi_status napi_get_last_error_info(napi_env, const napi_extended_error_info** result) {
  static napi_extended_error_info info{};
  *result = &info;
  return napi_ok;
}

// Linked in by node-addon-api, never reached by these calls: reaching one fails the run.
[[noreturn]] static void Unexpected(const char* name) {
  std::fprintf(stderr, "unexpected Node-API call: %s\n", name);
  std::abort();
}
napi_status napi_open_handle_scope(napi_env, napi_handle_scope* result) {
  *result = reinterpret_cast<napi_handle_scope>(&heap);
  return napi_ok;
}
napi_status napi_close_handle_scope(napi_env, napi_handle_scope) { return napi_ok; }
// Error::Value asks whether the error was wrapped (only non-objects are); these errors are objects.
napi_status napi_has_property(napi_env, napi_value, napi_value, bool* result) {
  *result = false;
  return napi_ok;
}
napi_status napi_open_escapable_handle_scope(napi_env, napi_escapable_handle_scope*) {
  Unexpected("napi_open_escapable_handle_scope");
}
napi_status napi_close_escapable_handle_scope(napi_env, napi_escapable_handle_scope) {
  Unexpected("napi_close_escapable_handle_scope");
}
napi_status napi_escape_handle(napi_env, napi_escapable_handle_scope, napi_value, napi_value*) {
  Unexpected("napi_escape_handle");
}
napi_status napi_get_named_property(napi_env, napi_value, const char*, napi_value*) {
  Unexpected("napi_get_named_property");
}
napi_status napi_get_property(napi_env, napi_value, napi_value, napi_value*) { Unexpected("napi_get_property"); }

napi_status napi_get_value_string_utf8(napi_env, napi_value, char*, size_t, size_t*) {
  Unexpected("napi_get_value_string_utf8");
}
napi_status napi_get_and_clear_last_exception(napi_env, napi_value*) {
  Unexpected("napi_get_and_clear_last_exception");
}
void napi_fatal_error(const char*, size_t, const char*, size_t) { Unexpected("napi_fatal_error"); }

}  // extern "C"

namespace {

// What node-addon-api's Napi::Function::New wraps a C++ function in, called as Node would call it.
napi_value Call(Napi::Value (*function)(const Napi::CallbackInfo&), std::deque<napi_value__> args) {
  std::vector<napi_value> argv;
  for (napi_value__& arg : args) argv.push_back(&(heap.emplace_back(arg)));
  CallbackInfo info{argv.size(), argv.data()};
  thrown = nullptr;
  return Napi::details::WrapCallback(nullptr, [&]() -> napi_value {
    Napi::CallbackInfo callbackInfo(nullptr, reinterpret_cast<napi_callback_info>(&info));
    return function(callbackInfo);
  });
}

Napi::Value SessionId(const Napi::CallbackInfo& info) {
  Guard guard;  // a destructor the unwinding must run
  std::string alive = "a heap string the unwinding must free";
  DWORD id = wts::ReadSessionId(info, 0);
  bool wait = wts::ReadBool(info, 1);
  std::optional<std::u16string> server = wts::ReadServer(info, 2);
  Napi::Value result = Napi::Value(info.Env(), Make(napi_number));
  static_cast<napi_value>(result)->number = id + (wait ? 0.5 : 0) + (server ? 0.25 : 0);
  return result;
}

napi_value__ Number(double value) {
  napi_value__ v;
  v.type = napi_number;
  v.number = value;
  return v;
}
napi_value__ Bool(bool value) {
  napi_value__ v;
  v.type = napi_boolean;
  v.flag = value;
  return v;
}
napi_value__ String(std::string text) {
  napi_value__ v;
  v.type = napi_string;
  v.text = text;
  return v;
}
napi_value__ Null() {
  napi_value__ v;
  v.type = napi_null;
  return v;
}

}  // namespace

// One JSON line per call: what came back, or what was thrown; then the counts that must be back at 0.
int main() {
  const std::pair<const char*, std::deque<napi_value__>> cases[] = {
      {"valid", {Number(7), Bool(true), Null()}},
      {"valid-server", {Number(0), Bool(false), String("host")}},
      {"string-id", {String("3"), Bool(false), Null()}},
      {"fraction", {Number(1.5), Bool(false), Null()}},
      {"negative", {Number(-1), Bool(false), Null()}},
      {"current-session", {Number(4294967295.0), Bool(false), Null()}},
      {"bool-not-bool", {Number(2), String("yes"), Null()}},
      {"server-number", {Number(2), Bool(false), Number(42)}},
      {"server-nul", {Number(2), Bool(false), String(std::string("a\0b", 3))}},
  };
  for (const auto& [name, args] : cases) {
    napi_value result = Call(SessionId, args);
    if (thrown) {
      std::printf("{\"case\":\"%s\",\"threw\":\"%s\",\"message\":\"%s\",\"returned\":%s}\n", name,
                  thrown->error.c_str(), thrown->text.c_str(), result ? "true" : "false");
    } else {
      std::printf("{\"case\":\"%s\",\"value\":%g}\n", name, result->number);
    }
  }
  // As the workers do (promise_worker.h, parallel_for.cc): an exception thrown on another thread, caught there
  // whole (std::exception_ptr), rethrown on this one and caught by type, then by base class.
  std::exception_ptr fromThread;
  std::thread([&fromThread] {
    try {
      Guard guard;
      throw std::bad_alloc();
    } catch (...) {
      fromThread = std::current_exception();
    }
  }).join();
  try {
    std::rethrow_exception(fromThread);
  } catch (const std::bad_alloc&) {
    std::printf("{\"case\":\"thread-bad-alloc\",\"caught\":\"std::bad_alloc\"}\n");
  }
  try {
    Guard guard;
    throw std::runtime_error("from a worker");
  } catch (const std::exception& e) {
    std::printf("{\"case\":\"by-base\",\"caught\":\"%s\"}\n", e.what());
  }
  std::printf("{\"guards\":%d,\"references\":%d}\n", guards, references);
  return 0;
}
