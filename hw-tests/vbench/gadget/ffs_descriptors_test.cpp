// SPDX-License-Identifier: Apache-2.0
#include "ffs_descriptors.hpp"

#include <gtest/gtest.h>
#include <linux/usb/functionfs.h>

#include "models/cp2112_model.hpp"
#include "models/ftdi_model.hpp"

namespace usbio::vbench {
namespace {

// Offsets of an endpoint descriptor's fields.
constexpr std::size_t kAddress = 2, kMaxPacket = 4, kInterval = 6;

// The descriptor of `type` at position `index` among those of that type.
const uint8_t* find(const std::vector<uint8_t>& set, uint8_t type, int index) {
    for (std::size_t at = 0; at + 2 <= set.size() && set[at] >= 2; at += set[at])
        if (set[at + 1] == type && index-- == 0) return &set[at];
    return nullptr;
}

TEST(FfsDescriptors, Cp2112FullSpeedModelGetsBothSpeeds) {
    models::Cp2112Model model;
    std::string error;
    const auto layout = ffs_layout(model.config_descriptor(), false, error);
    ASSERT_TRUE(layout) << error;
    // Interface, HID, two endpoints; the configuration descriptor is not sent.
    EXPECT_EQ(layout->count, 4u);
    ASSERT_EQ(layout->endpoints.size(), 2u);
    EXPECT_EQ(layout->endpoints[0].model_address, 0x81);
    EXPECT_EQ(layout->endpoints[1].model_address, 0x01);
    EXPECT_EQ(layout->endpoints[1].fs_max_packet, 64);
    EXPECT_EQ(layout->endpoints[1].hs_max_packet, 64);
    ASSERT_NE(find(layout->fs, 0x21, 0), nullptr);
    ASSERT_NE(find(layout->hs, 0x21, 0), nullptr);

    const uint8_t* fs_in = find(layout->fs, 0x05, 0);
    const uint8_t* hs_in = find(layout->hs, 0x05, 0);
    ASSERT_TRUE(fs_in && hs_in);
    EXPECT_EQ(fs_in[kAddress], 0x81);
    EXPECT_EQ(fs_in[kInterval], 1);  // 1 ms frames
    EXPECT_EQ(hs_in[kInterval], 4);  // 2^3 microframes = 1 ms
    EXPECT_EQ(hs_in[kMaxPacket], 64);
}

TEST(FfsDescriptors, HighSpeedBulkModelGetsFullSpeedPackets) {
    const std::vector<uint8_t> config = {
        9, 2,    32,   0,    1,    1,    0, 0x80, 45,   9,    4,    0, 0,
        2, 0xFF, 0xFF, 0xFF, 0,    7,    5, 0x81, 0x02, 0x00, 0x02, 0,  // bulk IN, 512
        7, 5,    0x02, 0x02, 0x00, 0x02, 0,                             // bulk OUT, 512
    };
    std::string error;
    const auto layout = ffs_layout(config, true, error);
    ASSERT_TRUE(layout) << error;
    ASSERT_EQ(layout->endpoints.size(), 2u);
    EXPECT_EQ(layout->endpoints[0].fs_max_packet, 64);
    EXPECT_EQ(layout->endpoints[0].hs_max_packet, 512);
    const uint8_t* fs_out = find(layout->fs, 0x05, 1);
    ASSERT_NE(fs_out, nullptr);
    EXPECT_EQ(fs_out[kMaxPacket], 64);
    EXPECT_EQ(fs_out[kMaxPacket + 1], 0);
}

// The FT232H's one vendor interface: bulk IN 0x81 and OUT 0x02 of 512
// bytes at high speed, 64 at full; its string index is dropped (the gadget
// serves no interface strings).
TEST(FfsDescriptors, Ft232hModelGetsItsBulkPairAtBothSpeeds) {
    models::FtdiChipModel chip;
    const auto port = chip.port(0);
    std::string error;
    const auto layout = ffs_layout(port->config_descriptor(), true, error);
    ASSERT_TRUE(layout) << error;
    EXPECT_EQ(layout->count, 3u);
    ASSERT_EQ(layout->endpoints.size(), 2u);
    EXPECT_EQ(layout->endpoints[0].model_address, 0x81);
    EXPECT_EQ(layout->endpoints[1].model_address, 0x02);
    for (const auto& ep : layout->endpoints) {
        EXPECT_EQ(ep.hs_max_packet, 512);
        EXPECT_EQ(ep.fs_max_packet, 64);
    }
    for (const auto* set : {&layout->fs, &layout->hs}) {
        const uint8_t* itf = find(*set, 0x04, 0);
        ASSERT_NE(itf, nullptr);
        EXPECT_EQ(itf[5], 0xFF);  // vendor class
        EXPECT_EQ(itf[8], 0);     // iInterface
    }
    EXPECT_EQ(port->config_descriptor()[9 + 8], 2) << "the model keeps the chip's string index";
}

TEST(FfsDescriptors, MalformedSetsAreErrors) {
    std::string error;
    // wTotalLength beyond the bytes given.
    EXPECT_FALSE(ffs_layout(std::vector<uint8_t>{9, 2, 40, 0, 1, 1, 0, 0x80, 50}, false, error));
    EXPECT_FALSE(error.empty());
    // A descriptor whose bLength runs past the end.
    EXPECT_FALSE(ffs_layout(std::vector<uint8_t>{9, 2, 12, 0, 1, 1, 0, 0x80, 50, 9, 4, 0}, false, error));
    // A zero bLength would loop forever if accepted.
    EXPECT_FALSE(ffs_layout(std::vector<uint8_t>{9, 2, 11, 0, 1, 1, 0, 0x80, 50, 0, 4}, false, error));
    // Isochronous endpoints are not served.
    EXPECT_FALSE(ffs_layout(
        std::vector<uint8_t>{9, 2, 25, 0, 1, 1, 0, 0x80, 50, 9, 4, 0, 0, 1, 0xFF, 0, 0, 0, 7, 5, 0x81, 0x01, 64, 0, 1},
        false, error));
    EXPECT_FALSE(ffs_layout(std::vector<uint8_t>{}, false, error));
}

TEST(FfsDescriptors, BlobHeaderCountsBothSpeeds) {
    models::Cp2112Model model;
    std::string error;
    const auto layout = ffs_layout(model.config_descriptor(), false, error);
    ASSERT_TRUE(layout) << error;
    const auto blob = ffs_descriptors_blob(*layout, FUNCTIONFS_ALL_CTRL_RECIP);
    auto le32 = [&](std::size_t at) {
        return uint32_t(blob[at] | blob[at + 1] << 8 | blob[at + 2] << 16 | blob[at + 3] << 24);
    };
    EXPECT_EQ(le32(0), uint32_t(FUNCTIONFS_DESCRIPTORS_MAGIC_V2));
    EXPECT_EQ(le32(4), blob.size());
    EXPECT_EQ(le32(8), uint32_t(FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC | FUNCTIONFS_ALL_CTRL_RECIP));
    EXPECT_EQ(le32(12), layout->count);
    EXPECT_EQ(le32(16), layout->count);
    EXPECT_EQ(blob.size(), 20 + layout->fs.size() + layout->hs.size());
}

}  // namespace
}  // namespace usbio::vbench
