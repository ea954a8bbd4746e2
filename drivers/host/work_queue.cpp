// SPDX-License-Identifier: Apache-2.0
#include "host/work_queue.hpp"

namespace usbio::host {

WorkQueue::~WorkQueue() {
    for (auto& item : items_)
        if (item.dev) api_.unref_device(item.dev);
}

uint64_t WorkQueue::devices_pushed() const {
    std::lock_guard lk(mu_);
    return devices_pushed_;
}

void WorkQueue::push_device(WorkItem::Kind kind, libusb_device* dev) {
    WorkItem item;
    item.kind = kind;
    item.dev = api_.ref_device(dev);
    {
        std::lock_guard lk(mu_);
        if (!stopped_) {
            items_.push_back(item);
            item.dev = nullptr;
            ++devices_pushed_;
        }
    }
    if (item.dev) api_.unref_device(item.dev);
    cv_.notify_one();
}

void WorkQueue::push_rescan() {
    {
        std::lock_guard lk(mu_);
        items_.push_back(WorkItem{WorkItem::Kind::rescan, nullptr, 0});
    }
    cv_.notify_one();
}

uint64_t WorkQueue::push_mark() {
    uint64_t seq = 0;
    {
        std::lock_guard lk(mu_);
        seq = next_mark_++;
        items_.push_back(WorkItem{WorkItem::Kind::mark, nullptr, seq});
    }
    cv_.notify_one();
    return seq;
}

std::optional<WorkItem> WorkQueue::pop(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lk(mu_);
    cv_.wait_until(lk, deadline, [&] { return stopped_ || !items_.empty(); });
    if (stopped_ || items_.empty()) return std::nullopt;
    WorkItem item = items_.front();
    items_.pop_front();
    return item;
}

void WorkQueue::stop() {
    std::deque<WorkItem> dropped;
    {
        std::lock_guard lk(mu_);
        stopped_ = true;
        dropped.swap(items_);
    }
    for (auto& item : dropped)
        if (item.dev) api_.unref_device(item.dev);
    cv_.notify_all();
    done_cv_.notify_all();
}

bool WorkQueue::stopped() const {
    std::lock_guard lk(mu_);
    return stopped_;
}

void WorkQueue::mark_done(uint64_t seq) {
    {
        std::lock_guard lk(mu_);
        if (seq > done_mark_) done_mark_ = seq;
    }
    done_cv_.notify_all();
}

bool WorkQueue::wait_done(uint64_t seq, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lk(mu_);
    return done_cv_.wait_until(lk, deadline, [&] { return done_mark_ >= seq || stopped_; }) && done_mark_ >= seq;
}

}  // namespace usbio::host
