// SPDX-License-Identifier: Apache-2.0
// The model's 24C32 EEPROM at 0x50 (4 KiB, 32-byte pages, two address
// bytes) as both stacks read and write it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "stack.hpp"

namespace usbio::compare {

inline constexpr uint8_t kEepromAddr = 0x50;
inline constexpr std::size_t kEepromSize = 4096;
inline constexpr std::size_t kEepromPage = 32;

// The image written for `seed`: differs in every page between seeds.
std::vector<uint8_t> eeprom_image(unsigned seed);

// Reads `out.size()` bytes from `offset`: per chunk one combined transfer,
// the 2-byte address written, then a read after a repeated START. Chunks
// are the longest read the stack accepts (512 bytes on a CP2112 either way).
int eeprom_read(Stack& s, std::size_t offset, std::span<uint8_t> out);
std::size_t eeprom_chunk(const Stack& s);

// Writes the whole image page by page; after each page, polls with a 1-byte
// read until the chip ACKs again (its write cycle), at most `page_limit`.
// `polls` counts the failed polls (the busy chip NACKing).
int eeprom_write(Stack& s, std::span<const uint8_t> image, std::chrono::milliseconds page_limit, std::size_t& polls);

// "ok", or where the first difference is.
std::string compare_image(std::span<const uint8_t> got, std::span<const uint8_t> want);

}  // namespace usbio::compare
