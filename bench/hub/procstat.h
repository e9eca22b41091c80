/*
 * procstat.h: a process's CPU time, scheduler times and memory from /proc.
 */
#ifndef BENCH_HUB_PROCSTAT_H
#define BENCH_HUB_PROCSTAT_H

#include <sys/types.h>

/* /proc/<pid>/schedstat: time on CPU, time runnable but waiting for a
 * CPU, and the number of times it was scheduled in (all threads). */
struct sched {
	unsigned long long run_ns, wait_ns, slices;
};

/* utime + stime of pid, in seconds (0 when unknown). */
double procstat_cpu(pid_t pid);
struct sched procstat_sched(pid_t pid);
/* A "Key:" line of /proc/<pid>/status in kB, e.g. "VmRSS:" (-1 when unknown). */
long procstat_status_kb(pid_t pid, const char *key);

#endif
