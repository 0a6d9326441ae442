// Stands in for native/win_api.h in the aarch64-linux exception harness (harness.cc): the argument checks under
// test need only DWORD from Windows.
#pragma once

#include <cstdint>

typedef std::uint32_t DWORD;
