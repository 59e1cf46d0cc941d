#pragma once
#include <iosfwd>

namespace vaarta::app {

// Runs the `vaarta` command line; returns the process exit code. Output goes to
// `out`, errors (one line each, "vaarta: ...") to `err`.
int RunCli(int argc, char** argv, char** environ, std::istream& in, std::ostream& out,
           std::ostream& err);

}  // namespace vaarta::app
