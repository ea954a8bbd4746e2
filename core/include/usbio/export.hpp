// SPDX-License-Identifier: Apache-2.0
// Marks what libusbio exports. The library is built with hidden visibility,
// so only the application API declared with USBIO_EXPORT is visible to
// programs; everything else (core's internals, drivers, transports) stays
// inside the library.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define USBIO_EXPORT __attribute__((visibility("default")))
#else
#define USBIO_EXPORT
#endif
