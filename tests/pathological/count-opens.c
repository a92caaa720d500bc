/* Counts the files the process it is preloaded into (LD_PRELOAD) opens,
 * through open, openat and syscall(SYS_openat2), and appends the count to
 * the file $OPEN_COUNT at exit: tests/pathological/init-leftovers.sh's
 * measure of work that grows with the product of two counts, without
 * timing anything. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
static atomic_long calls;
long syscall(long number, ...)
{
    static long (*real)(long, ...);
    if (!real) real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    va_list ap;
    va_start(ap, number);
    long a[6];
    for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
    va_end(ap);
#ifdef SYS_openat2
    if (number == SYS_openat2) atomic_fetch_add(&calls, 1);
#endif
    return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
int openat(int dir, const char *path, int flags, ...)
{
    static int (*real)(int, const char *, int, ...);
    if (!real) real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
    va_end(ap);
    atomic_fetch_add(&calls, 1);
    return real(dir, path, flags, mode);
}
int open(const char *path, int flags, ...)
{
    static int (*real)(const char *, int, ...);
    if (!real) real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
    va_end(ap);
    atomic_fetch_add(&calls, 1);
    return real(path, flags, mode);
}
__attribute__((destructor)) static void said(void)
{
    const char *f = getenv("OPEN_COUNT");
    FILE *o = f ? fopen(f, "a") : NULL;
    if (o) { fprintf(o, "%ld\n", (long)atomic_load(&calls)); fclose(o); }
}
