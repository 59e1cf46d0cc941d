#include <iostream>

#include "app/cli.h"

extern char** environ;

int main(int argc, char** argv) {
  return vaarta::app::RunCli(argc, argv, environ, std::cin, std::cout, std::cerr);
}
