// The program the codegen test compiles around a generated header: the generated models handed
// to the command line, as an application would.
#include "coodie/cli.hpp"
#include "generated_models.hpp"

int main(int argc, char** argv) {
  return coodie::cli::main(argc, argv, {.models = gen::all_models(), .name = "generated"});
}
