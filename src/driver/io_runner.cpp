// The caller-driven I/O of a session without a thread of its own (session_options::io_threads
// = 0): the threads that wait in blocking calls take turns running its io_context, one leader
// at a time (see io_runner in session_impl.hpp).
#include <chrono>
#include <functional>
#include <mutex>

#include "session_impl.hpp"

namespace coodie {

namespace driver::detail {

bool io_runner::wait_for_lead(std::unique_lock<std::mutex>& lock,
                              const std::function<bool()>* ready) {
  bool handed = false;  // woken to lead: a thread that lost it to a newcomer waits first again
  while (true) {
    if (ready != nullptr && (*ready)()) {
      if (handed && !driving_) {  // a newcomer may have taken the lead meanwhile
        pass_lead(lock);          // else it goes on, never lost
      }
      return false;
    }
    if (!driving_) {
      driving_ = true;
      return true;
    }
    waiter self;
    self.ready = ready;
    if (handed) {
      waiting_.push_front(&self);
    } else {
      waiting_.push_back(&self);
    }
    self.cv.wait(lock, [&self] { return self.woken; });  // the waker took it off the queue
    handed = self.lead;
  }
}

void io_runner::wake_answered(std::unique_lock<std::mutex>& /*held*/) {
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    waiter* w = *it;
    if (w->ready != nullptr && (*w->ready)()) {
      it = waiting_.erase(it);
      w->woken = true;
      w->cv.notify_one();
    } else {
      ++it;
    }
  }
}

void io_runner::pass_lead(std::unique_lock<std::mutex>& held) {
  driving_ = false;
  wake_answered(held);
  if (!waiting_.empty()) {
    waiter* next = waiting_.front();
    waiting_.pop_front();
    next->woken = true;
    next->lead = true;
    next->cv.notify_one();
  }
}

void io_runner::hand_on() {
  std::unique_lock lock(m_);
  pass_lead(lock);
}

void io_runner::drive_until(const std::function<bool()>& ready) {
  {
    std::unique_lock lock(m_);
    if (!wait_for_lead(lock, &ready)) {
      return;
    }
  }
  struct lead {  // hands the lead on however this thread leaves: a handler may throw
    io_runner& r;
    ~lead() { r.hand_on(); }
  } held{*this};
  while (!ready()) {
    if (ctx.run_one() == 0) {
      throw connection_error("the session's I/O has stopped (closed while a call waited)");
    }
    std::unique_lock lock(m_);
    if (!waiting_.empty()) {
      wake_answered(lock);  // the handler may have answered followers: wake exactly those
    }
  }
}

void io_runner::drain(std::chrono::milliseconds limit) {
  {
    std::unique_lock lock(m_);
    wait_for_lead(lock, nullptr);
  }
  struct lead {
    io_runner& r;
    ~lead() { r.hand_on(); }
  } held{*this};
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (ctx.run_one_until(deadline) > 0) {
    std::unique_lock lock(m_);
    wake_answered(lock);  // a call that waited gets its answer (the closed session's error)
  }
}

}  // namespace driver::detail

}  // namespace coodie
