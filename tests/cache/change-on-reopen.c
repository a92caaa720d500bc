/* change-on-reopen: an LD_PRELOAD library for tests/cache/run.sh. The
 * second time the program opens a file whose name ends in
 * CHANGE_ON_REOPEN (through openat2, as charter opens its sources), it
 * appends a line to that file first: a page edited between the build's
 * load and its parse, every time at the same point. CHANGE_ON_OPEN_NTH
 * names another open than the second (1: the first). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_int opened;

long syscall(long number, ...)
{
    va_list ap;
    va_start(ap, number);
    long a[6];
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    static long (*real)(long, ...);
    if (!real)
        real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    const char *suffix = getenv("CHANGE_ON_REOPEN");
#ifdef SYS_openat2
    if (number == SYS_openat2 && suffix && *suffix) {
        const char *name = (const char *)a[1];
        size_t n = strlen(name), m = strlen(suffix);
        const char *nth = getenv("CHANGE_ON_OPEN_NTH");
        int at = nth && *nth ? atoi(nth) - 1 : 1;
        if (n >= m && !strcmp(name + n - m, suffix) && atomic_fetch_add(&opened, 1) == at) {
            int fd = openat((int)a[0], name, O_WRONLY | O_APPEND | O_CLOEXEC);
            if (fd >= 0) {
                static const char line[] = "\nA line added while the build read the page.\n";
                if (write(fd, line, sizeof line - 1) < 0)
                    abort();
                close(fd);
            }
        }
    }
#endif
    return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
