#include "coodie/driver/session.hpp"

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <new>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include "exec_request.hpp"
#include "session_impl.hpp"

namespace coodie {

namespace {

const std::shared_ptr<driver::detail::session_impl>& require(
    const std::shared_ptr<driver::detail::session_impl>& impl) {
  if (!impl) {
    throw usage_error("the session is not connected (default-constructed, moved from or closed)");
  }
  return impl;
}

void require_blocking_allowed(const driver::detail::session_impl& impl) {
  if (impl.on_io_thread()) {
    throw usage_error(
        "a blocking session call was made from a thread that runs the session's io_context; "
        "use the async_ form there");
  }
}

std::exception_ptr closed_error() {
  return std::make_exception_ptr(connection_error("the session is closed"));
}

}  // namespace

namespace {

/// The blocking wait of a call on the session impl: drives its I/O when no thread of its own
/// does (see io_runner::drive_until).
template <class T>
T wait_on(const driver::detail::session_impl& impl, std::future<T> f) {
  if (impl.runner && impl.runner->caller_driven) {
    impl.runner->drive_until(
        [&f] { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
  }
  return f.get();
}

}  // namespace

void driver_session::drive_until(const std::function<bool()>& ready) const {
  if (impl_) {
    require_blocking_allowed(*impl_);  // the wait would wait for itself
    if (impl_->runner && impl_->runner->caller_driven) {
      impl_->runner->drive_until(ready);
    }
  }
}

driver_session::~driver_session() {
  release();
}

driver_session& driver_session::operator=(driver_session&& o) noexcept {
  if (this != &o) {
    release();
    impl_ = std::move(o.impl_);
  }
  return *this;
}

namespace {

/// The threads that close sessions let go on their own I/O thread. The program waits for them
/// (10 s at most) when its statics are destroyed, so that none runs on into that.
class closers {
 public:
  static closers& get() {
    static closers c;
    return c;
  }
  closers(const closers&) = delete;
  closers& operator=(const closers&) = delete;
  void started() {
    const std::lock_guard lock(m_);
    ++running_;
  }
  void ended() {
    const std::lock_guard lock(m_);
    if (--running_ == 0) {
      cv_.notify_all();
    }
  }
  ~closers() {
    std::unique_lock lock(m_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return running_ == 0; });
  }

 private:
  closers() = default;
  std::mutex m_;
  std::condition_variable cv_;
  int running_ = 0;
};

}  // namespace

void driver_session::release() noexcept {
  if (!impl_) {
    return;
  }
  if (impl_->runner && impl_->on_io_thread()) {
    // The thread would join itself, or free the io_context it runs: another thread closes.
    session_impl_ptr impl = std::move(impl_);
    closers& waited = closers::get();
    waited.started();
    try {
      std::thread([impl, &waited]() mutable {
        driver_session s(std::move(impl));
        s.release();
        waited.ended();
      }).detach();
    } catch (...) {
      waited.ended();
      // No thread to be had: keep the session, rather than end the process.
      static_cast<void>(new (std::nothrow) session_impl_ptr(std::move(impl)));  // NOLINT: leaked
    }
    return;
  }
  try {
    close();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
  }
}

driver_session driver_session::connect(session_options options) {
  auto runner = std::make_shared<driver::detail::io_runner>();
  std::size_t threads = options.io_threads;
  runner->caller_driven = threads == 0;
  auto impl = std::make_shared<driver::detail::session_impl>(runner->ctx.get_executor(),
                                                             std::move(options));
  impl->runner = runner;
  driver::detail::io_runner* r = runner.get();
  for (std::size_t i = 0; i < threads; ++i) {
    ++r->running;
    r->threads.emplace_back([r] {
      r->ctx.run();
      --r->running;
    });
  }
  driver_session s(impl);
  // Shared: a caller-driven wait may leave early (a handler threw), and the answer still comes.
  auto ready = std::make_shared<std::promise<void>>();
  auto fut = ready->get_future();
  boost::asio::post(impl->strand(), [impl, ready] {
    impl->connect([ready](std::exception_ptr e) {
      if (e) {
        ready->set_exception(e);
      } else {
        ready->set_value();
      }
    });
  });
  s.wait(std::move(fut));  // on failure, ~session closes and joins
  return s;
}

void driver_session::start_connect(executor_type ex, session_options options,
                                   driver::detail::handler<driver_session> h) {
  std::shared_ptr<driver::detail::session_impl> impl;
  try {
    impl = std::make_shared<driver::detail::session_impl>(ex, std::move(options));
  } catch (...) {
    driver::detail::pending<driver_session> p(std::move(h), ex);
    auto e = std::current_exception();
    boost::asio::post(ex,
                      [p = std::move(p), e]() mutable { p(e, driver_session()); });  // never inline
    return;
  }
  driver::detail::pending<driver_session> p(std::move(h), ex);
  boost::asio::post(impl->strand(), [impl, p = std::move(p)]() mutable {
    impl->connect([impl, p = std::make_shared<driver::detail::pending<driver_session>>(
                             std::move(p))](std::exception_ptr e) mutable {
      if (e) {
        impl->close([] {});
        (*p)(e, driver_session());
      } else {
        (*p)(nullptr, driver_session(impl));
      }
    });
  });
}

std::shared_ptr<driver_session::request_spec> driver_session::make_request(
    const statement& st) const {
  return require(impl_)->build(st);
}
std::shared_ptr<driver_session::request_spec> driver_session::make_request(
    const bound_statement& st) const {
  return require(impl_)->build(st);
}
std::shared_ptr<driver_session::request_spec> driver_session::make_request(const batch& b) const {
  return require(impl_)->build(b);
}

void driver_session::start_request(const session_impl_ptr& impl, std::shared_ptr<request_spec> req,
                                   driver::detail::handler<result> h) {
  driver::detail::pending<result> p(std::move(h), impl->strand());
  if (impl->is_closed()) {
    p(closed_error(), result());
    return;
  }
  // Inline when the caller already runs on the session's strand (a completion handler issuing
  // the next request), else queued to it.
  boost::asio::dispatch(impl->strand(), [impl, req = std::move(req), p = std::move(p)]() mutable {
    driver::detail::submit_request(impl, std::move(req), std::move(p));
  });
}

void driver_session::start_prepare(const session_impl_ptr& impl, std::string cql,
                                   driver::detail::handler<prepared_statement> h) {
  auto p =
      std::make_shared<driver::detail::pending<prepared_statement>>(std::move(h), impl->executor());
  if (impl->is_closed()) {
    (*p)(closed_error(), prepared_statement());
    return;
  }
  boost::asio::post(impl->strand(), [impl, cql = std::move(cql), p]() mutable {
    impl->prepare(std::move(cql), [p](std::exception_ptr e,
                                      std::shared_ptr<const driver::detail::prepared_data> d) {
      (*p)(std::move(e), e ? prepared_statement() : prepared_statement(std::move(d)));
    });
  });
}

void driver_session::start_close(const session_impl_ptr& impl, driver::detail::void_handler h) {
  if (!impl) {
    auto ex = boost::asio::get_associated_executor(h, boost::asio::system_executor());
    boost::asio::dispatch(ex, [h = std::move(h)]() mutable { std::move(h)(nullptr); });
    return;
  }
  auto work = boost::asio::prefer(boost::asio::get_associated_executor(h, impl->executor()),
                                  boost::asio::execution::outstanding_work.tracked);
  boost::asio::post(impl->strand(), [impl, work, h = std::move(h)]() mutable {
    impl->close([] {});
    boost::asio::dispatch(work, [h = std::move(h)]() mutable { std::move(h)(nullptr); });
  });
}

void driver_session::start_agreement(const session_impl_ptr& impl,
                                     std::chrono::milliseconds timeout,
                                     driver::detail::void_handler h) {
  if (!impl) {
    auto ex = boost::asio::get_associated_executor(h, boost::asio::system_executor());
    boost::asio::dispatch(ex, [h = std::move(h)]() mutable { std::move(h)(closed_error()); });
    return;
  }
  auto work = boost::asio::prefer(boost::asio::get_associated_executor(h, impl->executor()),
                                  boost::asio::execution::outstanding_work.tracked);
  // std::function needs a copyable callable: the move-only handler waits in a shared slot.
  auto slot = std::make_shared<driver::detail::void_handler>(std::move(h));
  boost::asio::post(impl->strand(), [impl, timeout, work, slot]() {
    impl->await_schema_agreement(
        [work, slot](std::exception_ptr e) {
          boost::asio::dispatch(work, [slot, e]() mutable { std::move (*slot)(e); });
        },
        timeout);
  });
}

result driver_session::execute(const statement& st) {
  require_blocking_allowed(*require(impl_));
  return wait(async_execute(st, boost::asio::use_future));
}

result driver_session::execute(std::string_view cql) {
  return execute(statement(std::string(cql)));
}

result driver_session::execute(const bound_statement& st) {
  require_blocking_allowed(*require(impl_));
  return wait(async_execute(st, boost::asio::use_future));
}

result driver_session::execute(const batch& b) {
  require_blocking_allowed(*require(impl_));
  return wait(async_execute(b, boost::asio::use_future));
}

prepared_statement driver_session::find_prepared(std::string_view cql) const {
  if (!impl_) {
    return {};
  }
  return prepared_statement(impl_->find_prepared(cql));
}

void driver_session::forget_prepared() {
  if (impl_) {
    impl_->forget_prepared();
  }
}

prepared_statement driver_session::prepare(std::string cql) {
  require_blocking_allowed(*require(impl_));
  return wait(async_prepare(std::move(cql), boost::asio::use_future));
}

void driver_session::close() {
  if (!impl_) {
    return;
  }
  if (impl_->runner && impl_->on_io_thread()) {  // before letting go: this may be the last owner
    throw usage_error("a session that owns its io_context cannot be closed from its own thread");
  }
  auto impl = std::move(impl_);
  impl_.reset();
  if (impl->runner) {
    auto closed = std::make_shared<std::promise<void>>();
    auto fut = closed->get_future();
    boost::asio::post(impl->strand(),
                      [impl, closed] { impl->close([closed] { closed->set_value(); }); });
    wait_on(*impl, std::move(fut));
    impl->mark_closed();
    // With the connections closed and the timers cancelled, the io_context runs out of work and
    // its threads return; every handler has then run, so none keeps the session alive. The
    // io_context itself goes with the last owner of the session state (pagers may outlive us).
    driver::detail::io_runner& runner = *impl->runner;
    runner.work.reset();
    if (runner.caller_driven) {
      runner.drain(std::chrono::seconds(10));
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (runner.running.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (runner.running.load() > 0) {
      runner.ctx.stop();  // something still waits: give up on it rather than hang
    }
    for (auto& t : runner.threads) {
      t.join();
    }
    runner.threads.clear();
  } else {
    impl->mark_closed();
    boost::asio::post(impl->strand(), [impl] { impl->close([] {}); });
  }
}

pager driver_session::pages(statement st) {
  return pager(std::make_shared<driver::detail::pager_state>(require(impl_), std::move(st)));
}

pager driver_session::pages(bound_statement st) {
  return pager(std::make_shared<driver::detail::pager_state>(require(impl_), std::move(st)));
}

std::string driver_session::keyspace() const {
  return require(impl_)->keyspace();
}

const session_options& driver_session::options() const {
  return require(impl_)->options();
}

session_metrics driver_session::metrics() const {
  return require(impl_)->metrics_snapshot();
}

bool driver_session::running_in_io_thread() const {
  return require(impl_)->on_io_thread();
}

driver_session::executor_type driver_session::get_executor() const {
  return require(impl_)->executor();
}

// ---------------------------------------------------------------------------------------------
// pager

void pager::start_next(const std::shared_ptr<driver::detail::pager_state>& st,
                       driver::detail::handler<std::optional<result>> h) {
  if (!st) {
    throw usage_error("the pager is empty (default-constructed or moved from)");
  }
  const auto& impl = st->session();
  driver::detail::pending<std::optional<result>> p(std::move(h), impl->executor());
  if (impl->is_closed()) {
    p(closed_error(), std::nullopt);
    return;
  }
  boost::asio::post(impl->strand(), [st, p = std::move(p)]() mutable { st->next(std::move(p)); });
}

std::optional<result> pager::next() {
  if (!state_) {
    throw usage_error("the pager is empty (default-constructed or moved from)");
  }
  require_blocking_allowed(*state_->session());
  return wait_on(*state_->session(), async_next(boost::asio::use_future));
}

void row_range::iterator::advance_page() {
  while (true) {
    page_ = pager_->next();
    index_ = 0;
    if (!page_) {
      pager_ = nullptr;
      return;
    }
    if (!page_->empty()) {
      return;
    }
  }
}

}  // namespace coodie
