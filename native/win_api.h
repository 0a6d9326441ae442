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

static_assert(sizeof(wchar_t) == sizeof(char16_t), "Windows WCHAR is UTF-16");

#if defined(_WIN64) && (defined(__x86_64__) || defined(_M_X64))
// Layouts the documentation gives for x64: a wrong header would silently misread every field.
static_assert(sizeof(WTS_SESSION_INFOW) == 24, "WTS_SESSION_INFOW layout");
static_assert(sizeof(WTSINFOW) == 216, "WTSINFOW layout");
static_assert(offsetof(WTSINFOW, ConnectTime) == 176, "WTSINFOW.ConnectTime offset");
static_assert(offsetof(WTSINFOW, CurrentTime) == 208, "WTSINFOW.CurrentTime offset");
static_assert(offsetof(WTSCLIENTW, ClientAddressFamily) == 1168, "WTSCLIENTW.ClientAddressFamily offset");
static_assert(offsetof(WTSCLIENTW, ClientAddress) == 1172, "WTSCLIENTW.ClientAddress offset");
#endif
