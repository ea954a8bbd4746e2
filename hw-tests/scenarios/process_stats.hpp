// SPDX-License-Identifier: Apache-2.0
// What /proc says about this process: memory, descriptors, threads, and
// whether a thread is asleep in the kernel.
#pragma once

#include <sys/types.h>

namespace usbio::hw {

long rss_kb();        // VmRSS, -1 when unknown
long open_fds();      // entries in /proc/self/fd, -1 when unknown
long thread_count();  // Threads, -1 when unknown
pid_t current_tid();
// True when thread `tid` of this process is sleeping (state S or D).
bool thread_sleeping(pid_t tid);

}  // namespace usbio::hw
