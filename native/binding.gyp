# The MSVC build from source: `npx node-gyp rebuild --directory native` in the package folder (the one documented
# command; node-gyp puts its output in native/build/, and the copy step below puts the addon in build/Release/ at the
# package root, where node-gyp-build looks before prebuilds/).
#
# This file is in native/ on purpose, not at the package root: npm, pnpm, yarn and Bun treat a binding.gyp at a
# package's root as an implicit `install: node-gyp rebuild`. `"gypfile": false` does not stop that where it counts:
# lockfiles do not record it, so `npm ci` and `npm install` from a lockfile ran node-gyp over the prebuild (npm/cli#3341,
# "gypfile:false no more honored"), and yarn never read it (yarnpkg/yarn#7136). With no binding.gyp at the root there
# is nothing to infer.
{
  "targets": [
    {
      "target_name": "windows_sessions",
      "conditions": [
        # Sources only for Windows: elsewhere this is an empty target, so no install ever compiles or fails there.
        ["OS=='win'", {
          "sources": [
            "addon.cc",
            "administrator_worker.cc",
            "args.cc",
            "blocking_pool.cc",
            "caught_failure.cc",
            "client_address.cc",
            "current_session_worker.cc",
            "event_log_worker.cc",
            "event_watch.cc",
            "file_acl_worker.cc",
            "get_session_worker.cc",
            "list_processes_worker.cc",
            "list_sessions_worker.cc",
            "list_summaries_worker.cc",
            "lock_state.cc",
            "module_pin.cc",
            "parallel_for.cc",
            "remote_clock.cc",
            "send_message_worker.cc",
            "service_host.cc",
            "service_install_worker.cc",
            "session_action_worker.cc",
            "session_query.cc",
            "session_list.cc",
            "shared_wait.cc",
            "session_record.cc",
            "sid_text.cc",
            "term_serv_ready.cc",
            "thread_worker.cc",
            "user_groups_worker.cc",
            "win32_failure.cc"
          ],
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
          "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
          # Keep in step with CMakeLists.txt (the MinGW cross build).
          "defines": ["NAPI_VERSION=8", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL", "WIN32_LEAN_AND_MEAN", "NOMINMAX", "_WIN32_WINNT=0x0A00", "UNICODE", "_UNICODE"],
          "libraries": ["wtsapi32.lib", "advapi32.lib", "netapi32.lib"],
          # The Event Log's message table: mc.exe (Windows SDK) turns messages.mc into messages.rc and its .bin, which
          # the resource compiler puts in the addon (the event source's EventMessageFile). Keep in step with CMakeLists.txt.
          "actions": [{
            "action_name": "message_table",
            "inputs": ["messages.mc"],
            "outputs": ["<(INTERMEDIATE_DIR)/messages.rc", "<(INTERMEDIATE_DIR)/messages.h"],
            "action": ["mc", "-r", "<(INTERMEDIATE_DIR)", "-h", "<(INTERMEDIATE_DIR)", "messages.mc"],
            "process_outputs_as_sources": 1
          }],
          "msvs_settings": {
            "VCCLCompilerTool": {
              "AdditionalOptions": ["/std:c++17", "/guard:cf", "/sdl", "/W3", "/we4244", "/we4267", "/Qspectre"],
              "RuntimeLibrary": 0
            },
            "VCLinkerTool": {
              "AdditionalOptions": ["/guard:cf", "/DYNAMICBASE"]
            }
          }
        }]
      ]
    },
    {
      # Puts the addon where node-gyp-build looks for a local build: <package>/build/Release/ (paths here are relative
      # to this file). Empty off Windows, as the addon itself.
      "target_name": "copy_to_package_build",
      "type": "none",
      "dependencies": ["windows_sessions"],
      "copies": [{ "files": ["<(PRODUCT_DIR)/windows_sessions.node"], "destination": "../build/Release" }]
    }
  ]
}
