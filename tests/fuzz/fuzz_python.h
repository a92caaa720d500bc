/* fuzz_python.h: a Python coprocess for the targets that compare charter
 * with a Python library (fuzz_toml with tomllib, fuzz_jsondoc with json):
 * started once, with the target's script, it reads each input as a 4-byte
 * little-endian length and that many bytes, and answers one line. Where
 * python3 cannot be started, the targets check what they can without it. */
#ifndef CHARTER_FUZZ_PYTHON_H
#define CHARTER_FUZZ_PYTHON_H

#include "buf.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct fuzz_python {
    const char *script; /* the program python3 -c runs */
    FILE *from;
    int to;     /* a pipe to its standard input, once started */
    int absent; /* python3 could not be started, or stopped answering */
} fuzz_python;

static inline void fuzz_python_start(fuzz_python *p)
{
    int in[2], out[2];
    signal(SIGPIPE, SIG_IGN);
    if (pipe(in) != 0 || pipe(out) != 0) {
        p->absent = 1;
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execlp("python3", "python3", "-c", p->script, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    p->to = in[1];
    p->from = fdopen(out[0], "r");
    if (pid < 0 || !p->from)
        p->absent = 1;
}

static inline int fuzz_python_write(int fd, const void *data, size_t n)
{
    const char *c = data;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The script's answer to text[0..len), without its newline, appended to
 * line: 0, or -1 when there is no python3. */
static inline int fuzz_python_reads(fuzz_python *p, buf *line, const uint8_t *text, size_t len)
{
    if (!p->from && !p->absent)
        fuzz_python_start(p);
    if (p->absent)
        return -1;
    uint8_t h[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
    if (fuzz_python_write(p->to, h, 4) != 0 || fuzz_python_write(p->to, text, len) != 0) {
        p->absent = 1;
        return -1;
    }
    char *l = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&l, &cap, p->from)) < 0 && errno == EINTR && !feof(p->from))
        clearerr(p->from);
    if (n <= 0) {
        free(l);
        p->absent = 1;
        return -1;
    }
    buf_add(line, l, (size_t)n - (l[n - 1] == '\n'));
    free(l);
    return 0;
}

#endif
