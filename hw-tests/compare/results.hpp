// SPDX-License-Identifier: Apache-2.0
// Console output the bench host parses: "VBENCH-RESULT compare.<stack>.<key>=<value>"
// and "VBENCH-FAIL <text>" (see hw-tests/vbench/guest/lib.sh).
#pragma once

#include <string>

namespace usbio::compare {

void result(const std::string& stack, const std::string& key, const std::string& value);
void fail(const std::string& text);
// "ENODEV (No such device)" style name of an errno value.
std::string errno_text(int e);

}  // namespace usbio::compare
