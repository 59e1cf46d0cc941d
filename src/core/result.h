#pragma once
// Result<T>: the value of an operation a caller is expected to handle, or an Error
// with a stable machine code and a human message that says what to do.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace vaarta::core {

// Stable error codes. They appear in API problem details and CLI messages, so
// existing values never change meaning.
enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kConflict,
  kUnauthenticated,
  kPermissionDenied,
  kRateLimited,
  kUnavailable,
  kInternal,
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // Optional finer-grained stable code, e.g. "email_taken"; empty means use code's name.
  std::string detail_code;
};

std::string_view ErrorCodeName(ErrorCode code);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& {
    assert(ok());
    return std::get<T>(data_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(data_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Error& error() const {
    assert(!ok());
    return std::get<Error>(data_);
  }

 private:
  std::variant<T, Error> data_;
};

// Result<void> equivalent.
struct Ok {};
using Status = Result<Ok>;

inline Error MakeError(ErrorCode code, std::string message, std::string detail_code = {}) {
  return Error{code, std::move(message), std::move(detail_code)};
}

}  // namespace vaarta::core
