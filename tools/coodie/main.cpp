// The standalone `coodie` program: migrations from CQL files (see coodie/cli.hpp).
#include "coodie/cli.hpp"

int main(int argc, char** argv) {
  return coodie::cli::main(argc, argv);
}
