{
  "targets": [
    {
      "target_name": "windows_sessions",
      "conditions": [
        # Sources only for Windows: elsewhere this is an empty target, so no install ever compiles or fails there.
        ["OS=='win'", {
          "sources": [
            "native/addon.cc",
            "native/administrator_worker.cc",
            "native/args.cc",
            "native/blocking_pool.cc",
            "native/caught_failure.cc",
            "native/client_address.cc",
            "native/current_session_worker.cc",
            "native/event_watch.cc",
            "native/get_session_worker.cc",
            "native/list_processes_worker.cc",
            "native/list_sessions_worker.cc",
            "native/lock_state.cc",
            "native/module_pin.cc",
            "native/parallel_for.cc",
            "native/send_message_worker.cc",
            "native/session_action_worker.cc",
            "native/session_query.cc",
            "native/session_list.cc",
            "native/shared_wait.cc",
            "native/session_record.cc",
            "native/sid_text.cc",
            "native/thread_worker.cc",
            "native/win32_failure.cc"
          ],
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
          "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
          # Keep in step with CMakeLists.txt (the MinGW cross build).
          "defines": ["NAPI_VERSION=8", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL", "WIN32_LEAN_AND_MEAN", "NOMINMAX", "_WIN32_WINNT=0x0A00", "UNICODE", "_UNICODE"],
          "libraries": ["wtsapi32.lib", "advapi32.lib"],
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
    }
  ]
}
