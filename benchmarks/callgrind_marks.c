/* The marks that callgrind.py calls through ctypes around each piece of code it counts.
 *
 * Under `valgrind --tool=callgrind --instr-atstart=no` nothing is counted until
 * lexsim_bench_start(), which switches instrumentation on and zeroes the counts;
 * lexsim_bench_stop(label) writes what was counted since to a dump file of its own, triggered by
 * `label`, and switches instrumentation off again. Outside valgrind both do nothing.
 * Built by callgrind.py with the C compiler and valgrind's own header.
 */
#include <valgrind/callgrind.h>

void lexsim_bench_start(void) {
    CALLGRIND_START_INSTRUMENTATION;
    CALLGRIND_ZERO_STATS;
}

void lexsim_bench_stop(const char *label) {
    CALLGRIND_DUMP_STATS_AT(label);
    CALLGRIND_STOP_INSTRUMENTATION;
}
