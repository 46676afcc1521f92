#ifndef PALIMPSEST_CLIBFUZZER_SHIM_H
#define PALIMPSEST_CLIBFUZZER_SHIM_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point when the program has its own main (compiler-rt, FuzzerInterface.h). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
