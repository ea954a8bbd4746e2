// SPDX-License-Identifier: Apache-2.0
// A simulated I2C bus with one master and byte-level targets.
//
// Two kinds of master drive it: transaction-level bridges (CP2112) use the
// helpers at the bottom, which run a whole START..STOP atomically; bit/byte
// level masters (FTDI MPSSE) use start()/write()/read()/stop() as they decode
// their own pin wiggling.
//
// Lock order: bus mutex, then a target's own mutex. Targets never call back
// into the bus, so test hooks may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <vector>

namespace usbio::models {

// A device on the bus, seen one byte at a time. All calls come from the bus
// with the bus lock held.
class I2cTarget {
public:
    virtual ~I2cTarget() = default;

    // START (or repeated START) followed by this target's address. Returns
    // true to ACK.
    virtual bool address(bool read) = 0;
    // A byte from the master; returns true to ACK.
    virtual bool write_byte(uint8_t byte) = 0;
    // The target drives a byte; `master_ack` is the master's answer to it
    // (false on the last byte of a read).
    virtual uint8_t read_byte(bool master_ack) = 0;
    // STOP ends the transaction this target took part in.
    virtual void stop() = 0;
    // A repeated START ends this target's part without a STOP (the next
    // address() may or may not be for this target).
    virtual void restart() {}
    // Clock stretching: bit times this target holds SCL low after the
    // clock that ends an ACK, before each byte it sends (while it fetches
    // the data). Only bit-level masters see it (the MPSSE wire); a
    // transaction-level bridge (CP2112) waits in silicon, so its bus
    // ignores it.
    virtual unsigned stretch_bits() { return 0; }
};

enum class I2cResult : uint8_t {
    ok,
    addr_nack,  // nobody acknowledged the address
    data_nack,  // the target refused a written byte
    bus_stuck,  // SCL/SDA held low: the master could not even START
};

struct I2cOutcome {
    I2cResult result = I2cResult::ok;
    std::size_t written = 0;    // data bytes the target ACKed (address not counted)
    std::vector<uint8_t> data;  // bytes read
};

class I2cBus {
public:
    // Targets are shared: the world (tests) keeps handles to them too.
    void attach(uint8_t addr7, std::shared_ptr<I2cTarget> target);
    void detach(uint8_t addr7);
    std::shared_ptr<I2cTarget> target(uint8_t addr7) const;

    // Fault hooks ---------------------------------------------------------
    // The target at addr7 stops (or resumes) acknowledging its address.
    void set_nack(uint8_t addr7, bool nack);
    // A broken target holds the bus low: every START fails with bus_stuck.
    void set_stuck(bool stuck);
    bool stuck() const;

    // Byte level ------------------------------------------------------------
    // START (repeated START if a transaction is open) and address byte.
    I2cResult start(uint8_t addr7, bool read);
    // Writes one byte to the addressed target; false = NACK (also when no
    // target answered the address, as SDA then floats high).
    bool write(uint8_t byte);
    // Reads one byte; 0xFF when no target drives SDA.
    uint8_t read(bool master_ack);
    void stop();
    // The addressed target's stretch_bits() (0 when none is addressed).
    unsigned stretch_bits();

    // Transactions: START .. STOP, atomic with respect to other masters ----
    I2cOutcome write_transaction(uint8_t addr7, std::span<const uint8_t> data);
    I2cOutcome read_transaction(uint8_t addr7, std::size_t length);
    // Write, then repeated START and read. Without repeated START support
    // (`repeated_start` false) the master puts a STOP and a new START between.
    I2cOutcome write_read(uint8_t addr7, std::span<const uint8_t> data, std::size_t length, bool repeated_start = true);

private:
    I2cResult start_locked(uint8_t addr7, bool read);
    bool write_locked(uint8_t byte);
    uint8_t read_locked(bool master_ack);
    void stop_locked();
    I2cOutcome write_part_locked(uint8_t addr7, std::span<const uint8_t> data);
    void read_part_locked(uint8_t addr7, std::size_t length, I2cOutcome& out);

    mutable std::mutex mu_;
    std::map<uint8_t, std::shared_ptr<I2cTarget>> targets_;
    std::set<uint8_t> nacking_;
    bool stuck_ = false;
    bool open_ = false;                  // between START and STOP
    std::shared_ptr<I2cTarget> active_;  // target that ACKed the last address
};

}  // namespace usbio::models
