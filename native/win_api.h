// The one place Windows headers are included, so every file sees the same target version and macros.
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00  // WTSINFOW and WTSCLIENTW are declared for Vista and later only.
#endif

#include <windows.h>
#include <wtsapi32.h>

#include <cstddef>  // offsetof, which windows.h brings with MinGW's GCC but not with Zig's clang

static_assert(sizeof(wchar_t) == sizeof(char16_t), "Windows WCHAR is UTF-16");

// Struct layouts, worked out by hand from the documented field types (wtsapi32.h): a wrong header would silently
// misread every field. Only WTS_SESSION_INFOW holds a pointer. The others are WCHAR arrays, DWORD, ULONG, USHORT and
// BYTE fields and LARGE_INTEGERs, which the Windows ABIs of x64, arm64 and ia32 all align to 8 within a struct, so
// their layout is the same on the three. The same numbers came out of the MinGW-w64 headers compiled for x86_64 and
// i686 and Zig 0.11's for aarch64 and x86 (offsetof in a probe); the Windows workflow builds them with the SDK's.
#if defined(_M_X64) || defined(__x86_64__) || defined(_M_ARM64) || defined(__aarch64__)
static_assert(sizeof(WTS_SESSION_INFOW) == 24, "WTS_SESSION_INFOW layout");  // DWORD, 4 padding, LPWSTR, enum
#elif defined(_M_IX86) || defined(__i386__)
static_assert(sizeof(WTS_SESSION_INFOW) == 12, "WTS_SESSION_INFOW layout");  // DWORD, LPWSTR, enum
#else
#error "windows-sessions: no checked struct layouts for this architecture (native/win_api.h)"
#endif
// 8 DWORD counters, WinStationName[32], Domain[17], UserName[21] end at 172; then 5 LARGE_INTEGERs from 176.
static_assert(sizeof(WTSINFOW) == 216, "WTSINFOW layout");
static_assert(offsetof(WTSINFOW, ConnectTime) == 176, "WTSINFOW.ConnectTime offset");
static_assert(offsetof(WTSINFOW, CurrentTime) == 208, "WTSINFOW.CurrentTime offset");
// Names of 21, 18, 21, 261 and 261 WCHARs and a BYTE end at 1165; ClientAddressFamily (ULONG) at 1168, then
// ClientAddress[31] (USHORT); DeviceId[261] ends at 2302, padded to 4.
static_assert(sizeof(WTSCLIENTW) == 2304, "WTSCLIENTW layout");
static_assert(offsetof(WTSCLIENTW, ClientAddressFamily) == 1168, "WTSCLIENTW.ClientAddressFamily offset");
static_assert(offsetof(WTSCLIENTW, ClientAddress) == 1172, "WTSCLIENTW.ClientAddress offset");
// DWORD AddressFamily, BYTE Address[20].
static_assert(sizeof(WTS_CLIENT_ADDRESS) == 24, "WTS_CLIENT_ADDRESS layout");
static_assert(offsetof(WTS_CLIENT_ADDRESS, Address) == 4, "WTS_CLIENT_ADDRESS.Address offset");
